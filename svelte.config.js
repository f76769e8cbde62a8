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
		adapter: adapter({ out: 'build' })
	}
};

export default config;
