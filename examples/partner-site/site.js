// The page's language is set before the first paint, by the inline script in index.html's <head>.
// The landmark's name follows too (a label, so changing it late moves nothing on screen).
if (document.documentElement.lang === 'sw') {
  for (const el of document.querySelectorAll('[data-label-sw]')) el.setAttribute('aria-label', el.dataset.labelSw);
}
// The widget's events carry no personal data: a partner can count conversions without seeing who signed.
document.addEventListener('imlu-signed', (event) => console.info('imlu-signed', event.detail));
