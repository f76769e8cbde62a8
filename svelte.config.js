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
		paths: { relative: false }
	}
};

export default config;
