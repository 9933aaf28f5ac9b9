// The partner's own language switch: the element follows <html lang>, as every IMLU element does.
const language = document.getElementById('language');
language.value = document.documentElement.lang;
language.addEventListener('change', () => {
  document.documentElement.lang = language.value;
});
