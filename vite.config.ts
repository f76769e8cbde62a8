import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { minify as oxcMinify, type Plugin } from 'vite';
import type { ManifestOptions } from 'vite-plugin-pwa';
import { minify as terser } from 'terser';
import { defineConfig } from 'vitest/config';

const DEXIE_MODERN = new URL('./node_modules/dexie/dist/modern/dexie.mjs', import.meta.url);

/**
 * The page the service worker answers a navigation with when the network cannot
 * (src/routes/shell): SvelteKit's client then renders the route the browser asked for.
 */
const APP_SHELL = '/shell';

const DESCRIPTION_ZH = '售后服务站的维修工单记录与技师绩效：没有网络也能记录工单，联网后自动同步。';
const DESCRIPTION_EN =
	'Repair job logging and technician KPIs for after-sales service stations: jobs are logged offline and synced when the network is back.';

const webManifest: Partial<ManifestOptions> & {
	/** W3C manifest localisation (`*_localized`); browsers without it use `lang` + `description`. */
	description_localized: Record<string, string>;
} = {
	id: '/',
	name: 'RepairScore 维修绩效',
	short_name: 'RepairScore',
	description: DESCRIPTION_ZH,
	description_localized: { 'zh-CN': DESCRIPTION_ZH, en: DESCRIPTION_EN },
	lang: 'zh-CN',
	dir: 'ltr',
	start_url: '/',
	scope: '/',
	display: 'standalone',
	theme_color: '#0b5cad',
	background_color: '#eef1f5',
	categories: ['business', 'productivity'],
	icons: [
		{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
		{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
		{
			src: '/icons/icon-maskable-512.png',
			sizes: '512x512',
			type: 'image/png',
			purpose: 'maskable'
		}
	]
};

/**
 * The PWA plugin writes the service worker in `closeBundle`, which also runs after a failed
 * build (first with the error, then once more without); it then fails on the missing client
 * output, and its error replaces the real one. `vite build` builds once per process, so a
 * failure is never followed by a build that needs the service worker. Saves no bytes: it keeps
 * a failed build's own error in sight.
 */
function unlessBuildFailed(plugins: Plugin[]): Plugin[] {
	let buildFailed = false;
	return plugins.map((plugin) => {
		const hook = plugin.closeBundle;
		if (!hook || typeof hook === 'function') return plugin;
		const { handler } = hook;
		return {
			...plugin,
			closeBundle: {
				...hook,
				handler(this: ThisParameterType<typeof handler>, ...args: unknown[]) {
					if (args[0] instanceof Error) buildFailed = true;
					if (buildFailed) return;
					return handler.apply(this, args as Parameters<typeof handler>);
				}
			}
		};
	});
}

/**
 * How the browser's code is split (client build only). Saves the technician 6.7 KiB gzip on
 * opening its screens (scripts/size-budget.mjs: 106.5 KiB in 36 files without it, 99.8 in 12).
 * Rolldown otherwise cuts a chunk per combination of pages sharing a module, and each small
 * file's gzip stream starts from nothing. The groups hold code that always loads together:
 * every page loads the framework, the root layout and error page and the shared schemas (named:
 * nothing the layout imports reaches them, and split from zod they cost ~0.8 KiB more); only
 * /tech loads the device store and sync engine. A group takes the modules it names and their
 * imports, so it names only modules whose imports every page of the group loads too.
 *
 * The group `technician-common` (0.6 KiB of those) bends that rule for the technician: what
 * /tech shares with other pages, mostly a message or two of a few dozen bytes per combination,
 * is one file, which supervisor pages using some of it (the badge, job labels, date formats)
 * load whole.
 *
 * The last two keep the technician's own code in two files: `technician`, what its screens
 * import (the forms and screens it loads on a tap share pieces of it, and each combination
 * would otherwise be a file of its own), and `technician-on-tap`, everything it loads on a tap
 * (forms, search, the job page's notes, corrections and earlier jobs, refused changes) in one
 * file: the first tap loads all of it (the service worker holds it anyway), and together it
 * compresses far better. Measured with issue 12's search and corrections: on opening 101.9 →
 * 99.9 KiB (14 → 10 files), on a tap 16.2 → 12.6 KiB (12 → 4 files).
 */
function clientChunkGroups(): Plugin {
	/** Modules of src/lib that the technician's page shares with other pages. */
	const sharedWithTechnician = new Set<string>();
	/** Modules of src/lib that only the technician's page imports (statically). */
	const technicianOnly = new Set<string>();
	/** Modules of the technician's app that it loads on a tap (forms, search, refused changes). */
	const technicianOnTap = new Set<string>();
	return {
		name: 'repairscore:client-chunk-groups',
		buildEnd() {
			if (this.environment.config.consumer !== 'client') return;
			const moduleIds = [...this.getModuleIds()];
			const messageIds = new Map<string, string>();
			for (const id of moduleIds) {
				const message = /\/src\/lib\/paraglide\/messages\/(\w+)\.js$/.exec(id)?.[1];
				if (message) messageIds.set(message, id);
			}
			const isMessageIndex = (id: string) =>
				/\/src\/lib\/paraglide\/messages(\/_index)?\.js$/.test(id);
			// Messages come through one index that imports them all, so instead of following it,
			// a module using it reaches the messages it names (`m.key`, how this app calls them).
			const reachedFrom = (isStart: (id: string) => boolean, dynamic = false) => {
				const reached = new Set<string>();
				const queue = moduleIds.filter(isStart);
				for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
					if (reached.has(id)) continue;
					reached.add(id);
					const info = this.getModuleInfo(id);
					const imported = info?.importedIds ?? [];
					queue.push(...imported.filter((imported) => !isMessageIndex(imported)));
					if (dynamic) queue.push(...(info?.dynamicallyImportedIds ?? []));
					if (!imported.some(isMessageIndex)) continue;
					for (const [, key] of info?.code?.matchAll(/\bm\.(\w+)/g) ?? []) {
						const message = messageIds.get(key);
						if (message) queue.push(message);
					}
				}
				return reached;
			};
			const technician = /\/src\/routes\/tech\/\+page\.(svelte|ts)$/;
			const otherPages = reachedFrom(
				(id) =>
					/\/src\/routes\/(.*\/)?\+(page|layout|error)\.(svelte|ts)$/.test(id) &&
					!technician.test(id)
			);
			for (const id of reachedFrom((id) => technician.test(id))) {
				if (!id.includes('/src/lib/')) continue;
				(otherPages.has(id) ? sharedWithTechnician : technicianOnly).add(id);
			}
			for (const id of reachedFrom((id) => technician.test(id), true)) {
				const own = /\/src\/lib\/(client\/tech|paraglide)\//.test(id);
				if (own && !otherPages.has(id) && !technicianOnly.has(id)) technicianOnTap.add(id);
			}
		},
		configEnvironment(name, config) {
			if (name !== 'client' || config.consumer === 'server') return;
			return {
				build: {
					rolldownOptions: {
						output: {
							codeSplitting: {
								groups: [
									{
										// $app/forms is left to the pages with forms.
										name: 'framework',
										test: (id) =>
											/node_modules\/(@sveltejs\/kit|devalue|zod)\/|src\/lib\/shared\/schemas\.ts$|src\/lib\/paraglide\/runtime|src\/routes\/\+(layout|error)\.svelte$|^\0vite\/preload-helper/.test(
												id
											) && !id.includes('/runtime/app/forms.js'),
										priority: 2
									},
									{
										// With the helpers the job list shares with the screens it opens.
										name: 'local-store',
										test: /node_modules\/dexie\/|src\/lib\/(client\/(local|sync|stores)\/|shared\/sync\.|client\/tech\/urls\.ts$)/,
										priority: 1
									},
									{
										// Last: what the groups above hold stays theirs.
										name: 'technician-common',
										test: (id) => sharedWithTechnician.has(id)
									},
									{
										// The screens' own components and messages, which the forms and screens it
										// loads on a tap import too: one file rather than a chunk per combination.
										name: 'technician',
										test: (id) => technicianOnly.has(id)
									},
									{
										// Never part of opening /tech: only its dynamic imports reach these.
										name: 'technician-on-tap',
										test: (id) => technicianOnTap.has(id)
									}
								]
							}
						}
					}
				}
			};
		}
	};
}

/**
 * SvelteKit's client imports Svelte as a namespace and destructures it
 * (`const { onMount, tick } = svelte`). Rolldown then builds the whole namespace object, which
 * keeps every export of Svelte in the framework chunk, used or not (the legacy lifecycle
 * functions, createEventDispatcher, fork, ...). Reading the two members one by one means the
 * same, and leaves the unused exports to tree-shaking. A Kit version without that line needs
 * nothing, so the plugin then changes nothing. Saves the technician 0.8 KiB gzip.
 */
function kitSvelteNamespace(): Plugin {
	const destructuring = 'const { onMount, tick } = svelte;';
	return {
		name: 'repairscore:kit-svelte-namespace',
		apply: 'build',
		applyToEnvironment: (environment) => environment.config.consumer === 'client',
		transform: {
			filter: { id: /\/@sveltejs\/kit\/src\/runtime\/client\/client\.js$/ },
			handler(code) {
				if (!code.includes(destructuring)) return null;
				// On the same line, which holds nothing else: the lines keep their positions, so
				// the source map stays valid without a new one.
				const members = 'const onMount = svelte.onMount, tick = svelte.tick;';
				return { code: code.replace(destructuring, members), map: null };
			}
		}
	};
}

/**
 * Terser's compressor on the browser's chunks, between two runs of Rolldown's own minifier
 * (oxc). Oxc leaves, for instance, every Paraglide message as three functions (one per
 * language and the one choosing between them); terser inlines single-use functions like these
 * and folds more of Svelte's compiled output. The first oxc run drops the code that libraries
 * mark `@__NO_SIDE_EFFECTS__`, an annotation terser does not know; the last one (build.minify)
 * mangles and prints, more compactly than terser would. Saves the technician 3.2 KiB gzip.
 */
function compressClientChunks(): Plugin {
	return {
		name: 'repairscore:compress-client-chunks',
		apply: 'build',
		applyToEnvironment: (environment) => environment.config.consumer === 'client',
		renderChunk: {
			// After Vite's own rewriting of the chunk (preload lists, asset URLs).
			order: 'post',
			async handler(code, chunk, outputOptions) {
				const sourcemap = !!outputOptions.sourcemap;
				const pruned = await oxcMinify(chunk.fileName, code, {
					module: true,
					compress: true,
					mangle: false,
					codegen: { removeWhitespace: false },
					sourcemap
				});
				if (pruned.errors.length) return null;
				const compressed = await terser(pruned.code, {
					module: true,
					ecma: 2020,
					mangle: false,
					compress: { ecma: 2020, passes: 3 },
					format: { ecma: 2020 },
					// Maps the result back to the chunk through both steps.
					sourceMap: sourcemap && { content: JSON.stringify(pruned.map) }
				});
				if (compressed.code === undefined) return null;
				return { code: compressed.code, map: compressed.map as string | undefined };
			}
		}
	};
}

export default defineConfig({
	build: {
		// Vite's preload lists for each page's lazy chunks live in the app's entry, which every page
		// loads: each supervisor, desk and admin page added ~50 B gzip to the phone's opening. The
		// pages' own imports load what they need (CSS of lazy chunks is still loaded by Vite), and
		// server-rendered pages carry SvelteKit's modulepreload links anyway. Measured with issue
		// 12's pages: opening /tech 103,282 → 102,771 B.
		modulePreload: false
	},
	resolve: {
		alias: [
			// Dexie's package entry re-exports its ES5 UMD build (dist/dexie.js); its ES2018 module
			// build is smaller and lets unused exports go (2.1 KiB gzip for the technician). Only the
			// browser and tests use Dexie.
			{ find: /^dexie$/, replacement: fileURLToPath(DEXIE_MODERN) }
		]
	},
	plugins: [
		// Under vitest the plugin's file watcher keeps the process alive after the run; the
		// unit and integration tests do not render UI text.
		!process.env.VITEST &&
			paraglideVitePlugin({
				project: './project.inlang',
				outdir: './src/lib/paraglide',
				// The chosen language is remembered in a cookie so server-rendered pages match it.
				strategy: ['cookie', 'baseLocale']
			}),
		sveltekit(),
		kitSvelteNamespace(),
		clientChunkGroups(),
		compressClientChunks(),
		// How offline works and why these choices: docs/pwa.md.
		unlessBuildFailed(
			SvelteKitPWA({
				// Kit's relative paths would otherwise give './manifest.webmanifest' and scope './'.
				base: '/',
				scope: '/',
				strategies: 'generateSW',
				// A new version waits until the user chooses to reload (src/lib/client/pwa).
				registerType: 'prompt',
				injectRegister: false,
				manifest: webManifest,
				kit: {
					// The shell is rendered by the server (no SSR, no data) and precached under this
					// URL; its revision follows the build's _app/version.json, so every build refreshes it.
					adapterFallback: APP_SHELL,
					spa: { fallbackMapping: APP_SHELL }
				},
				workbox: {
					// Every JS/CSS asset of the client build and the icons: any page can start offline.
					// And the barcode reader's WebAssembly (lib/client/scanning, 0.9 MB, 0.4 MB gzip):
					// scanning works offline too, and nothing is ever fetched from the library's CDN.
					globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,woff,woff2,webmanifest,wasm}'],
					// Navigations go to the network (fresh server-rendered pages; server-side redirects
					// and downloads keep working online); the shell answers only when the network
					// fails. Hence no navigateFallback, which would answer every navigation from the
					// cache, online too.
					navigateFallback: null,
					navigationPreload: true,
					runtimeCaching: [
						{
							// /api/ is never answered by the service worker: offline API calls fail honestly.
							urlPattern: ({ request, url }) =>
								request.mode === 'navigate' && !url.pathname.startsWith('/api/'),
							handler: 'NetworkOnly',
							options: {
								// Every page starts in the shell offline: no page needs the server before it
								// renders (the root layout's load is universal, docs/pwa.md).
								precacheFallback: { fallbackURL: APP_SHELL }
							}
						}
					],
					// The first visit is controlled at once, so going offline right after works.
					clientsClaim: true,
					skipWaiting: false,
					cleanupOutdatedCaches: true
				}
			})
		)
	],
	test: {
		include: ['src/**/*.test.ts', 'tests/helpers/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 120_000,
		// One file at a time. In parallel (2 workers: 240-265 s instead of 355 s here) the suites on
		// the shared Postgres server see each other's transactions: a pull's cursor is the
		// snapshot's xmin, which is cluster-wide, so another file's open transaction holds it back
		// and an exact "nothing new since the last pull" assertion fails now and then.
		fileParallelism: false
	}
});
