/**
 * The server half of a page kept on the device for offline reading (the browser half is
 * lib/client/scorecard/snapshot-load.ts, `loadKeptPage`): a page's data as JSON, dated by when
 * the server read it. The data may hold Date objects, so it travels in devalue's format (the one
 * SvelteKit uses for page data) inside the JSON envelope.
 */
import { json } from '@sveltejs/kit';
import { stringify } from 'devalue';
import type { KeptPageEnvelope } from '$lib/shared/snapshots';

export function keptPageResponse(view: unknown): Response {
	const envelope: KeptPageEnvelope = {
		generatedAt: new Date().toISOString(),
		view: stringify(view)
	};
	// Personal data of the station: never kept by a browser's or a proxy's HTTP cache.
	return json(envelope, { headers: { 'cache-control': 'private, no-store' } });
}
