/**
 * /admin/stations: a system administrator's stations, and a new one (code, name, time zone).
 * The API checks the input (newStationSchema: the code's format, a time zone Intl knows) and
 * the station service the role and a taken code; after creation the page of the new station
 * opens, to add its first administrator.
 */
import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { requireSystemAdminPage } from '../../access';
import { refused, textField } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireSystemAdminPage(event.locals);
	const caller = await serverCaller(event);
	return { stations: await caller.admin.stations.list() };
};

export const actions: Actions = {
	create: async (event) => {
		requireSystemAdminPage(event.locals);
		const form = await event.request.formData();
		const caller = await serverCaller(event);
		let stationId: string;
		try {
			const created = await caller.admin.stations.create({
				code: textField(form, 'code') ?? '',
				name: textField(form, 'name') ?? '',
				timeZone: textField(form, 'timeZone') ?? ''
			});
			stationId = created.id;
		} catch (caught) {
			return refused('create', caught);
		}
		redirect(303, `/admin/stations/${stationId}?created=1`);
	}
};
