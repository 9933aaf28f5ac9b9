/**
 * The CDN bundle (dist/embed.js): one `<script type="module">` on a partner page defines every element.
 * Built by `vite build` into a single minified ES module with Lit inside.
 */
import './imlu-petition.ts';
import './imlu-counter.ts';
import './imlu-accountability.ts';
