/**
 * Loads a page's JSON from its endpoint and remembers it; when the server cannot be reached
 * (offline, or a proxy saying the server is down), falls back to the copy remembered last.
 * Without either the page still renders (its navigation and period picker lead to the copies
 * there are) and says why the numbers are missing.
 */
import { browser } from '$app/environment';
import { error, redirect } from '@sveltejs/kit';
import { parse } from 'devalue';
import { m } from '$lib/paraglide/messages.js';
import { readSnapshot, saveSnapshot } from './offline-cache';
import type { KeptPageEnvelope } from '$lib/shared/snapshots';

/** Statuses a proxy or the service worker answers with when the app server is out of reach. */
const UNREACHABLE = new Set([502, 503, 504]);

type LoadedSnapshot<T> =
	/** `offline`: the server could not be reached; `data` is the copy remembered last. */
	| { data: T; offline: boolean; unavailable: null }
	/** Neither the server nor a remembered copy: `unavailable` says why, for the page to show. */
	| { data: null; offline: boolean; unavailable: string };

async function errorMessage(response: Response): Promise<string> {
	try {
		const body = (await response.json()) as { message?: unknown };
		if (typeof body.message === 'string') return body.message;
	} catch {
		// Not JSON: fall back to the status text.
	}
	return response.statusText || m.sc_unavailable();
}

/** What a page says when it has neither fresh data nor a copy (the scorecard's by default). */
interface MissingTexts {
	noCopy: () => string;
	unavailable: () => string;
}

const SCORECARD_TEXTS: MissingTexts = {
	noCopy: m.sc_offline_no_copy,
	unavailable: m.sc_unavailable
};

export async function loadSnapshot<T>(
	fetch: typeof globalThis.fetch,
	path: string,
	cacheKey: string,
	texts: MissingTexts = SCORECARD_TEXTS
): Promise<LoadedSnapshot<T>> {
	let response: Response | null;
	try {
		response = await fetch(path, { headers: { accept: 'application/json' } });
	} catch {
		response = null;
	}
	if (response && !UNREACHABLE.has(response.status)) {
		if (response.status === 401) redirect(303, '/login');
		if (!response.ok) error(response.status, await errorMessage(response));
		const data = (await response.json()) as T;
		if (browser) saveSnapshot(cacheKey, data);
		return { data, offline: false, unavailable: null };
	}
	const cached = browser ? readSnapshot<T>(cacheKey) : null;
	if (cached) return { data: cached.data, offline: true, unavailable: null };
	const offline = browser && !navigator.onLine;
	return {
		data: null,
		offline,
		unavailable: offline ? texts.noCopy() : texts.unavailable()
	};
}

type LoadedKeptPage<T> =
	| { view: T; generatedAt: string; offline: boolean; unavailable: null }
	| { view: null; generatedAt: null; offline: boolean; unavailable: string };

/**
 * A page whose data the server sends as a kept-page envelope (lib/server/kept-page.ts), kept on
 * the device like the scorecards, so that it reads offline from its copy ("as of").
 */
export async function loadKeptPage<T>(
	fetch: typeof globalThis.fetch,
	path: string,
	cacheKey: string,
	texts: MissingTexts
): Promise<LoadedKeptPage<T>> {
	const loaded = await loadSnapshot<KeptPageEnvelope>(fetch, path, cacheKey, texts);
	if (loaded.data === null) return { ...loaded, view: null, generatedAt: null };
	return {
		view: parse(loaded.data.view) as T,
		generatedAt: loaded.data.generatedAt,
		offline: loaded.offline,
		unavailable: null
	};
}
