import { expect } from '@open-wc/testing';
import { define } from './define.ts';
import { ImluCounter, ImluPetition, VERSION } from './index.ts';

describe('define()', () => {
  let warnings: unknown[][];
  const warn = console.warn;
  beforeEach(() => {
    warnings = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
  });
  afterEach(() => {
    console.warn = warn;
  });

  it('embed.js registers the elements on the page, then each one the page adds, and no other', async () => {
    const counter = document.body.appendChild(document.createElement('imlu-counter'));
    await import('./embed.ts');
    await customElements.whenDefined('imlu-counter');
    expect(customElements.get('imlu-counter')).to.equal(ImluCounter);
    // Only what the page has: no petition yet, and never the board.
    expect(customElements.get('imlu-petition')).to.equal(undefined);
    const petition = document.createElement('imlu-petition');
    document.body.appendChild(document.createElement('div')).appendChild(petition);
    await customElements.whenDefined('imlu-petition');
    expect(customElements.get('imlu-petition')).to.equal(ImluPetition);
    expect(petition).to.be.instanceOf(ImluPetition);
    expect(customElements.get('imlu-accountability')).to.equal(undefined);
    counter.remove();
    petition.parentElement!.remove();
  });

  it('does not throw or warn when the same element is registered again (the script loaded twice)', async () => {
    await import('./embed.ts');
    expect(() => define('imlu-petition', ImluPetition)).not.to.throw();
    expect(() => define('imlu-counter', ImluCounter)).not.to.throw();
    expect(warnings).to.deep.equal([]);
  });

  it('keeps the first registration and warns once when another version owns the tag', () => {
    class OlderWidget extends HTMLElement {
      static readonly version = '0.0.1';
    }
    customElements.define('imlu-version-test', OlderWidget);
    class NewerWidget extends HTMLElement {}
    define('imlu-version-test', NewerWidget);
    define('imlu-version-test', NewerWidget);
    expect(customElements.get('imlu-version-test')).to.equal(OlderWidget);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]![0])).to.contain('0.0.1').and.contain(VERSION);
  });
});
