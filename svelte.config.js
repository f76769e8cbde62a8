import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		// Without it every page would register Svelte's version on `window.__svelte`, which
		// nothing here reads: a few bytes less in the framework chunk.
		discloseVersion: false
	},
	kit: {
		adapter: adapter({ out: 'build' }),
		// Absolute asset paths: the service worker answers a navigation it cannot send with the app
		// shell, whatever the URL. Relative ones ('./_app/…') would resolve against that URL, and a
		// page two levels down (/supervisor/technicians/…) would load nothing: a blank page.
		paths: { relative: false },
		// Nonces on rendered pages, hashes on the prerendered app shell: only the scripts SvelteKit
		// itself wrote run, so injected markup cannot run script. Svelte's transitions and style
		// attributes set inline styles, hence 'unsafe-inline' for styles only. frame-ancestors
		// goes out as a header (a <meta> policy cannot carry it); scripts/serve.mjs adds
		// X-Frame-Options for browsers that predate it.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				// WebAssembly compiles only with 'wasm-unsafe-eval' (the barcode reader,
				// lib/client/scanning): it allows no eval() of JavaScript.
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
