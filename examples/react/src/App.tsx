import { useState } from 'react';
import './imlu-elements.ts';

/**
 * React 19 renders custom elements directly: string props become properties or attributes, and an
 * `on<event-name>` prop listens for that event. No wrapper library is needed.
 */
/** The partner's own words for the widget's `imlu-signed` status, in the page's language. */
const SIGNED_STATUS_SW: Record<string, string> = { counted: 'imehesabiwa', pending_verification: 'inasubiri uthibitisho' };

export function App({ api }: { api: string }) {
  const [lang, setLang] = useState<'en' | 'sw'>('en');
  const [signed, setSigned] = useState<string | null>(null);

  return (
    <main lang={lang}>
      <header>
        <h1>{lang === 'sw' ? 'Simama na manusura' : 'Stand with survivors'}</h1>
        <button type="button" onClick={() => setLang(lang === 'en' ? 'sw' : 'en')}>
          {lang === 'en' ? 'Kiswahili' : 'English'}
        </button>
      </header>
      <p>
        <imlu-counter campaign="justice-for-survivors" api={api}></imlu-counter>
      </p>
      <imlu-petition
        campaign="justice-for-survivors"
        api={api}
        source="react-example"
        onimlu-signed={(event: CustomEvent<{ status: string }>) => setSigned(event.detail.status)}
      ></imlu-petition>
      {signed && (
        <p role="status" id="react-signed">
          {lang === 'sw' ? `React imeona sahihi: ${SIGNED_STATUS_SW[signed] ?? signed}` : `React saw the signature: ${signed}`}
        </p>
      )}
    </main>
  );
}
