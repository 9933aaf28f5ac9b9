/**
 * The WordPress plugin's shortcode (examples/wordpress) under php-cli, with a stub of the few WordPress
 * functions it calls (examples/wordpress/test/harness.php). Needs `php` on the PATH (.ci/run installs
 * Debian's php-cli).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './server.ts';

interface Rendered {
  html: string;
  modules: Record<string, string>;
}

function runShortcodes(cases: Record<string, Record<string, string>>, env: Record<string, string> = {}) {
  const result = spawnSync('php', [join(repoRoot, 'examples/wordpress/test/harness.php')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (result.error || result.status !== 0) {
    throw new Error(`php failed (install php-cli: apt-get install -y php-cli): ${result.error?.message ?? ''}\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as { shortcodes: string[]; results: Record<string, Rendered> };
}

describe('[imlu_petition] shortcode', () => {
  it('registers the shortcode, enqueues embed.js as a module and prints the element with a noscript link', () => {
    const { shortcodes, results } = runShortcodes({ plain: { campaign: 'justice-for-survivors' } });
    expect(shortcodes).toEqual(['imlu_petition']);
    const { html, modules } = results.plain!;
    expect(modules).toEqual({ 'imlu-embed': 'https://campaigns.imlu.org/embed.js' });
    expect(html).toContain('<imlu-petition campaign="justice-for-survivors" api="https://campaigns.imlu.org"></imlu-petition>');
    expect(html).toContain('<noscript><p><a href="https://campaigns.imlu.org/c/justice-for-survivors">');
    expect(html).toContain('imlu-petition:not(:defined){display:block;min-height:75rem}');
    expect(html).not.toContain('<imlu-counter');
  });

  it('passes only known, valid options, escaped', () => {
    const { results } = runShortcodes({
      options: { campaign: 'justice-for-survivors', source: 'radio "ads" & <more>', lang: 'sw', theme: 'dark', counter: 'yes', onclick: 'x' },
      invalid: { campaign: 'justice-for-survivors', lang: 'fr', theme: 'neon' },
    });
    const options = results.options!.html;
    expect(options).toContain(
      '<imlu-petition campaign="justice-for-survivors" api="https://campaigns.imlu.org" source="radio &quot;ads&quot; &amp; &lt;more&gt;" lang="sw" theme="dark"></imlu-petition>',
    );
    expect(options).toContain('<imlu-counter campaign="justice-for-survivors" api="https://campaigns.imlu.org"></imlu-counter>');
    expect(options).toContain('/c/justice-for-survivors?source=radio%20%22ads%22%20%26%20%3Cmore%3E');
    expect(options).not.toContain('onclick');
    expect(results.invalid!.html).toContain('<imlu-petition campaign="justice-for-survivors" api="https://campaigns.imlu.org"></imlu-petition>');
  });

  it('prints nothing and loads nothing for a campaign that is not a slug', () => {
    const { results } = runShortcodes({ attack: { campaign: '"><script>alert(1)</script>' }, empty: {} });
    for (const rendered of Object.values(results)) expect(rendered).toEqual({ html: '', modules: {} });
  });

  it('takes the API host from IMLU_API_BASE, without a trailing slash', () => {
    const { results } = runShortcodes({ plain: { campaign: 'a-campaign' } }, { IMLU_API_BASE_TEST: 'https://api.partner.or.ke/' });
    expect(results.plain!.modules).toEqual({ 'imlu-embed': 'https://api.partner.or.ke/embed.js' });
    expect(results.plain!.html).toContain('api="https://api.partner.or.ke"');
  });
});
