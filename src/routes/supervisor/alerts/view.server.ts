/** The alerts page's data for a period (served by data.json, kept on the device for offline). */
import type { RequestEvent } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { periodOfRequest, supervisorOfRequest } from '../scorecard-request.server';

export async function readAlertsView(event: RequestEvent) {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	const caller = await serverCaller(event);
	return { report: await caller.review.alerts({ from: period.from, to: period.to }) };
}

export type AlertsView = Awaited<ReturnType<typeof readAlertsView>>;
