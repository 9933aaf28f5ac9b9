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
    prefetchCampaign(found);
    petitionFirst = importTag(tag).finally(() => (petitionFirst = undefined));
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

/**
 * The petition asks the API for its campaign as soon as it is connected, which is after its chunk has
 * arrived. The same request made now, while the chunk travels, is answered from the browser's HTTP cache
 * (the campaign is `public, max-age`) or joins the one already under way: one round trip less before the
 * form. The same URL and options as the petition's own request (src/api/client.ts), or the cache would
 * not match. Nothing personal is in it.
 */
function prefetchCampaign(petition: Element): void {
  const api = petition.getAttribute('api');
  const slug = petition.getAttribute('campaign');
  if (!api || !slug) return;
  const url = `${api.replace(/\/+$/, '')}/v1/campaigns/${encodeURIComponent(slug)}/form`;
  fetch(url, { credentials: 'omit', headers: { Accept: 'application/json' } }).then(
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
