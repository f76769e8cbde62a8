/**
 * /admin/stations/[stationId]/accounts/[userId]: one account, its audited history, and the
 * changes an administrator makes: rename, deactivate or reactivate, reset the password (a generated
 * one is in this action's answer only), change the role. Each ends the account's sessions and
 * is audited by the accounts service (auth/accounts.ts), which also decides who may do it. A
 * region manager's account also shows the stations they read, which a system administrator
 * ticks (setRegionStations: roles.md "assign regions").
 */
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { userRoleSchema } from '$lib/shared/schemas';
import { serverCaller } from '$lib/server/trpc/caller';
import { requireAccountAdminPage } from '../../../../../access';
import { refused, textField } from '../../../../form.server';
import { loadRefused, stationIdOf } from '../../station.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function accountRefOf(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const userId = z.uuid().safeParse(event.params.userId);
	if (!userId.success) error(404, m.error_not_found());
	return { stationId: stationIdOf(event), userId: userId.data };
}

export const load: PageServerLoad = async (event) => {
	const user = requireAccountAdminPage(event.locals);
	const ref = accountRefOf(event);
	const caller = await serverCaller(event);
	try {
		const detail = await caller.admin.users.get(ref);
		const stations = await caller.admin.stations.list();
		const station = stations.find(({ id }) => id === ref.stationId);
		const assignsRegion = user.role === 'system_admin' && detail.regionStationCodes !== null;
		return {
			...detail,
			timeZone: station?.timeZone ?? 'Asia/Shanghai',
			/** The stations a system administrator may tick for a region manager. */
			regionChoices: assignsRegion
				? stations.map(({ id, code, name }) => ({ id, code, name }))
				: null
		};
	} catch (caught) {
		loadRefused(caught);
	}
};

export const actions: Actions = {
	rename: async (event) => {
		requireAccountAdminPage(event.locals);
		const ref = accountRefOf(event);
		const form = await event.request.formData();
		const caller = await serverCaller(event);
		try {
			await caller.admin.users.rename({
				...ref,
				name: String(form.get('name') ?? ''),
				reason: textField(form, 'reason')
			});
			return { action: 'rename' };
		} catch (caught) {
			return refused('rename', caught);
		}
	},
	setActive: async (event) => {
		requireAccountAdminPage(event.locals);
		const ref = accountRefOf(event);
		const form = await event.request.formData();
		const active = form.get('active') === 'true';
		const caller = await serverCaller(event);
		try {
			await caller.admin.users.setActive({ ...ref, active, reason: textField(form, 'reason') });
			return { action: 'setActive', active };
		} catch (caught) {
			return refused('setActive', caught);
		}
	},
	setPassword: async (event) => {
		requireAccountAdminPage(event.locals);
		const ref = accountRefOf(event);
		const form = await event.request.formData();
		const typed = form.get('passwordMode') === 'typed';
		const caller = await serverCaller(event);
		try {
			const updated = await caller.admin.users.setPassword({
				...ref,
				...(typed ? { password: String(form.get('password') ?? '') } : {}),
				reason: textField(form, 'reason')
			});
			return { action: 'setPassword', generatedPassword: updated.generatedPassword };
		} catch (caught) {
			return refused('setPassword', caught);
		}
	},
	setRole: async (event) => {
		requireAccountAdminPage(event.locals);
		const ref = accountRefOf(event);
		const form = await event.request.formData();
		const role = userRoleSchema.safeParse(form.get('role'));
		if (!role.success) {
			return fail(400, { action: 'setRole', message: m.adm_role_required(), fields: ['role'] });
		}
		const caller = await serverCaller(event);
		try {
			await caller.admin.users.setRole({
				...ref,
				role: role.data,
				reason: String(form.get('reason') ?? '')
			});
			return { action: 'setRole', role: role.data };
		} catch (caught) {
			return refused('setRole', caught);
		}
	},
	setRegion: async (event) => {
		requireAccountAdminPage(event.locals);
		const ref = accountRefOf(event);
		const form = await event.request.formData();
		const caller = await serverCaller(event);
		try {
			const { stationCodes } = await caller.admin.users.setRegionStations({
				...ref,
				stationCodes: form.getAll('stationCode').map(String),
				reason: textField(form, 'reason')
			});
			return { action: 'setRegion', stationCodes };
		} catch (caught) {
			return refused('setRegion', caught);
		}
	}
};
