// The page's language is set before the first paint, by the inline script in index.html's <head>.
// The widget's events carry no personal data: a partner can count conversions without seeing who signed.
document.addEventListener('imlu-signed', (event) => console.info('imlu-signed', event.detail));
