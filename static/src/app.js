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
