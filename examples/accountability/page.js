// The partner's own language switch: the element follows <html lang>, as every IMLU element does, and the
// page's own copy follows it too. `?lang=sw` opens the page in Kiswahili, and a switch keeps the address in
// step, so a shared or reloaded link stays in the reader's language.
const COPY = {
  en: {
    title: 'Accountability · who answered, who committed, who delivered',
    heading: 'Justice for survivors: where the duty bearers stand',
    intro:
      'We asked the officials responsible to act on our demands. Here is what each of them has said and done, ' +
      'with the dates and the evidence. It updates itself while this page is open.',
    language: 'Language',
  },
  sw: {
    title: 'Uwajibikaji · nani amejibu, nani ameahidi, nani ametekeleza',
    heading: 'Haki kwa manusura: msimamo wa wenye wajibu',
    intro:
      'Tuliwaomba maafisa wanaohusika kutekeleza madai yetu. Hapa kuna kile ambacho kila mmoja wao amesema na ' +
      'kufanya, pamoja na tarehe na ushahidi. Ukurasa huu hujisasisha wenyewe ukiwa wazi.',
    language: 'Lugha',
  },
};

const language = document.getElementById('language');

function show(lang) {
  const copy = COPY[lang] ?? COPY.en;
  document.documentElement.lang = lang in COPY ? lang : 'en';
  for (const node of document.querySelectorAll('[data-copy]')) node.textContent = copy[node.dataset.copy];
  language.value = document.documentElement.lang;
}

show(new URLSearchParams(location.search).get('lang') ?? document.documentElement.lang);
language.addEventListener('change', () => {
  show(language.value);
  const url = new URL(location.href);
  url.searchParams.set('lang', language.value);
  history.replaceState(null, '', url);
});
