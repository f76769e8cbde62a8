/** The station a page of /admin/stations/[stationId] is about, as the API lets this user see it. */
import { error, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { formRefusal } from '$lib/server/trpc/form-refusal';

/** The station id of the URL; anything but an id is a page that does not exist. */
export function stationIdOf(event: Pick<RequestEvent, 'params'>): string {
	const parsed = z.uuid().safeParse(event.params.stationId);
	if (!parsed.success) error(404, m.error_not_found());
	return parsed.data;
}

/** A load's refused call as the page's error: another station's accounts are "not found". */
export function loadRefused(caught: unknown): never {
	const { status, message } = formRefusal(caught);
	error(status, message);
}
