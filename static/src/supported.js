// Loaded as the first thing in <body>: marks the page as having JavaScript, and as supported by
// GOV.UK Frontend when the browser understands ES modules. A file rather than an inline script so
// a strict Content-Security-Policy can forbid inline scripts.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
