// Starts GOV.UK Frontend's components (loaded as <script type="module">, so only in browsers
// that govuk-frontend supports). Content swapped in by htmx is initialised too.
import { initAll } from './govuk-frontend.min.js'

initAll()

document.addEventListener('htmx:load', (event) => {
  const element = event.detail && event.detail.elt
  if (element && element !== document.body) {
    initAll(element)
  }
})

// The rich-text editor (django-prose-editor) replaces a labelled <textarea> with a text box of
// its own: give that box the name and hint of the field it replaces (WCAG 4.1.2). Here rather
// than in the page, because the Content-Security-Policy allows no inline script.
const nameProseEditors = () => {
  document.querySelectorAll('.prose-editor [role=textbox]:not([aria-label])').forEach((box) => {
    const textarea = box.closest('.prose-editor').querySelector('textarea')
    const label = textarea && document.querySelector(`label[for="${textarea.id}"]`)
    if (!label) return
    box.setAttribute('aria-label', label.textContent.trim())
    const hint = textarea.getAttribute('aria-describedby')
    if (hint) box.setAttribute('aria-describedby', hint)
  })
}

// The editor's textarea carries data-django-prose-editor-<preset> until the editor replaces it.
const hasProseEditor = () => [...document.querySelectorAll('textarea')].some((textarea) =>
  [...textarea.attributes].some((attribute) => attribute.name.startsWith('data-django-prose-editor')))

if (document.querySelector('.prose-editor') || hasProseEditor()) {
  nameProseEditors()
  new MutationObserver(nameProseEditors).observe(document.body, { childList: true, subtree: true })
}

// Radios with conditionally revealed content (GOV.UK's markup: a `govuk-radios__conditional` after
// the item): the content of the chosen radio shows, the others' hide. Not GOV.UK Frontend's own
// script, which puts aria-expanded on the radios: ARIA does not allow it on a radio and axe reports
// it (govuk-frontend issue #979), and every page here must pass axe. Without JavaScript every
// part shows, and the server checks what the chosen one needs.
const syncReveals = (group) => {
  group.querySelectorAll('input[type=radio][data-app-reveals]').forEach((input) => {
    const content = document.getElementById(input.dataset.appReveals)
    if (content) content.classList.toggle('govuk-radios__conditional--hidden', !input.checked)
  })
}

document.querySelectorAll('.govuk-radios').forEach((group) => {
  if (!group.querySelector('input[data-app-reveals]')) return
  syncReveals(group)
  group.addEventListener('change', () => syncReveals(group))
})
