/**
 * The CDN script (dist/embed.js): one `<script type="module">` on a partner page, and every `<imlu-*>`
 * element on it comes to life. It is a small loader, not the elements themselves: it looks for the tags
 * in the document (now, and as the page adds them later) and imports only the code of the elements it
 * finds, each from its own chunk (dist/chunks/imlu-<tag>-<hash>.js, sharing Lit and the translations in a
 * common chunk). A page with one petition never downloads the accountability board, and a signer on 2G
 * waits for a few kilobytes fewer before the form appears.
 *
 * The build (build/element-preload.ts) writes, beside each `import()` below, the common chunks that
 * element's chunk imports, so that all of them are requested at once rather than one round trip after
 * another. Each chunk registers its tag with `define()` (./define.ts), which tolerates a tag already
 * defined by another copy of the widget, as before.
 *
 * Like Shoelace's autoloader, it watches the document, not other components' shadow roots: an element
 * placed inside a partner's own shadow root is found only if one of the same tag is in the document too.
 */

import { localeOf } from './loader/locale-of.ts';

const ELEMENTS: Readonly<Record<string, () => Promise<unknown>>> = {
  'imlu-petition': () => import('./imlu-petition.ts'),
  'imlu-counter': () => import('./imlu-counter.ts'),
  'imlu-accountability': () => import('./imlu-accountability.ts'),
};

/** Tags not yet requested (or whose request failed: they are asked for again). */
const waiting = new Set(Object.keys(ELEMENTS));

/**
 * Set while a petition's chunk is on its way: the other elements wait for it to settle. On a slow link the
 * responses in flight share the bandwidth, so a counter's chunk (and the counts it then asks for) loaded
 * beside the petition would delay the form, which a signer needs first; the petition shows the count too.
 */
let petitionFirst: Promise<unknown> | undefined;

function load(tag: string, found: Element): void {
  waiting.delete(tag);
  if (customElements.get(tag)) return;
  if (tag === 'imlu-petition') {
    petitionFirst = paint(found).finally(() => (petitionFirst = undefined));
  } else if (petitionFirst) {
    void petitionFirst.finally(() => importTag(tag));
  } else {
    void importTag(tag);
  }
}

function importTag(tag: string): Promise<unknown> {
  return ELEMENTS[tag]!().catch(() => {
    // Offline for a moment: the next change to the page, or the link coming back, asks again.
    waiting.add(tag);
    observer.observe(document, { childList: true, subtree: true });
    addEventListener('online', () => discover(document), { once: true });
  });
}

/** The petition's code, asked for once: on the first touch of a first paint, or at once where there is none. */
let petitionCode: Promise<unknown> | undefined;
const importPetition = () => (petitionCode ??= importTag('imlu-petition').finally(() => (petitionCode = undefined)));

/** A petition's element and its expandos, which the element reads when it takes its first paint over. */
type Petition = Element & { imluTouchedAt?: number; imluSubmit?: boolean; imluMore?: boolean; imluCampaign?: string };

/**
 * The petition's first paint (issue 14): the API renders the element as it would first draw itself, and this
 * puts that markup in the element's shadow root, so that on 2G a signer can read the petition and start on
 * the form after one small response rather than after Lit, the strings and the petition's code (some 13 KB).
 * That code is asked for on the first touch of the form (focus, pointer, typing) or a press of its button;
 * the element then renders itself over the paint, keeping what the signer typed and where the focus was
 * (`firstUpdated` in petition/petition.component.ts). Every petition on the page is painted. Where there is
 * no paint (no `api` or `campaign`, a campaign not open now: 204; an error, an old
 * browser), the code is loaded at once as before, and the campaign asked for beside it.
 */
const painting = new WeakSet<Element>();

function paint(petition: Petition): Promise<unknown> {
  painting.add(petition);
  const api = petition.getAttribute('api')?.replace(/\/+$/, '');
  const slug = petition.getAttribute('campaign');
  if (!api || !slug || petition.shadowRoot || customElements.get('imlu-petition')) return importPetition();
  const base = `${api}/v1/campaigns/${encodeURIComponent(slug)}`;
  const lang = localeOf(petition);
  // The paint shows one campaign in one language: if the page changes either before the element's code has
  // come (a language switch, another campaign), the code is loaded at once and renders what is asked.
  const stale = () => localeOf(petition) !== lang || petition.getAttribute('campaign') !== slug || petition.getAttribute('api')?.replace(/\/+$/, '') !== api;
  return fetch(`${base}/first-paint?lang=${lang}`, { credentials: 'omit' })
    .then((response) => (response.status === 200 ? response.text() : Promise.reject()))
    .then((html) => {
      if (customElements.get('imlu-petition') || petition.shadowRoot) return;
      if (stale()) return importPetition();
      const root = petition.attachShadow({ mode: 'open' });
      // The styles as a constructed sheet, as Lit adopts them: a partner's CSP (style-src 'self') refuses a
      // <style> element in the markup, not a sheet. A browser without constructed sheets loads the code.
      const [, css, markup] = /^<style>([^]*?)<\/style>([^]*)$/.exec(html)!;
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css!);
      root.adoptedStyleSheets = [sheet];
      root.innerHTML = markup!;
      // The campaign that came with the paint, for the element: kept on it, out of the page's text.
      const data = root.querySelector('script');
      petition.imluCampaign = data?.textContent ?? undefined;
      data?.remove();
      const watch = new MutationObserver(() => {
        if (customElements.get('imlu-petition')) watch.disconnect();
        else if (stale()) void importPetition();
      });
      watch.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'campaign', 'api'], subtree: true });
      // Until the element's code has taken the paint over; its own handlers do the rest.
      const listen = <E extends Event>(type: string, handler: (event: E) => void) =>
        root.addEventListener(type, (event) => customElements.get('imlu-petition') || handler(event as E));
      const touch = () => {
        petition.imluTouchedAt ??= performance.now();
        void importPetition();
      };
      for (const type of ['focusin', 'pointerdown', 'input']) listen(type, touch);
      // A painted form never submits itself (its fields would go into the partner page's URL): its button
      // waits for the code, and if the code cannot come, says so and links to the hosted page.
      listen('submit', (event) => {
        event.preventDefault();
        petition.imluSubmit = true;
        touch();
        void petitionCode?.then(() => {
          const failed = root.querySelector<HTMLElement>('[data-failed]');
          if (customElements.get('imlu-petition') || !failed) return;
          petition.imluSubmit = false;
          failed.hidden = false;
          failed.querySelector('a')!.href = `${api}/c/${encodeURIComponent(slug)}?lang=${localeOf(petition)}`;
          failed.querySelector('p')!.focus();
        });
      });
      // "Read more" on a narrow screen: pressed before the code came, it is open when the code comes.
      listen('click', (event) => {
        if ((event.target as Element).closest('.more')) petition.imluMore = true;
      });
      // Other petitions on the page get their own paint.
      document.querySelectorAll<Petition>('imlu-petition').forEach((other) => painting.has(other) || void paint(other));
    })
    .catch(() => {
      prefetchCampaign(base);
      return importPetition();
    });
}

/**
 * Where there is no first paint, the petition asks the API for its campaign as soon as it is connected,
 * which is after its chunk has arrived. The same request made now, while the chunk travels, is answered
 * from the browser's HTTP cache (the campaign is `public, max-age`) or joins the one already under way:
 * one round trip less before the form. The same URL and options as the petition's own request
 * (src/api/client.ts), or the cache would not match. Nothing personal is in it.
 */
function prefetchCampaign(base: string): void {
  fetch(`${base}/form`, { credentials: 'omit', headers: { Accept: 'application/json' } }).then(
    (response) => response.arrayBuffer(),
    () => {},
  );
}

function discover(root: ParentNode): void {
  for (const tag of waiting) {
    const found = root instanceof Element && root.localName === tag ? root : root.querySelector(tag);
    if (found) load(tag, found);
  }
  if (!waiting.size) observer.disconnect();
}

const observer = new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) discover(node);
});

observer.observe(document, { childList: true, subtree: true });
discover(document);

// An ES module that exports nothing: it is loaded for its effect.
export {};
