// Partner page language switch: ?lang=sw sets <html lang>, which the widget follows.
const lang = new URLSearchParams(location.search).get('lang');
if (lang === 'sw' || lang === 'en') {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-lang-en]')) el.textContent = el.dataset[lang === 'sw' ? 'langSw' : 'langEn'];
  for (const el of document.querySelectorAll('[data-label-en]')) el.setAttribute('aria-label', el.dataset[lang === 'sw' ? 'labelSw' : 'labelEn']);
}
// The widget's events carry no personal data: a partner can count conversions without seeing who signed.
document.addEventListener('imlu-signed', (event) => console.info('imlu-signed', event.detail));
