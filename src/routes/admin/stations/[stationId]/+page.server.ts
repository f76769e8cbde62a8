/**
 * /admin/stations/[stationId]: the station's accounts and a new one. A station administrator
 * reaches only its own station, a system administrator any (the accounts service decides,
 * auth/accounts.ts); the roles offered are the ones the service lets this person give. A
 * password the server generates is in this action's answer only: the page shows it once, and
 * nothing can read it again (only its hash is stored).
 */
import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { userRoleSchema } from '$lib/shared/schemas';
import { requireAccountAdminPage } from '../../../access';
import { assignableRoles } from '$lib/server/auth/accounts';
import { serverCaller } from '$lib/server/trpc/caller';
import { refused, textField } from '../../form.server';
import { loadRefused, stationIdOf } from './station.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireAccountAdminPage(event.locals);
	const stationId = stationIdOf(event);
	const caller = await serverCaller(event);
	try {
		const accounts = await caller.admin.users.list({ stationId });
		const station = (await caller.admin.stations.list()).find(({ id }) => id === stationId);
		return {
			station: station ?? null,
			accounts,
			roles: assignableRoles({ kind: 'user', user }),
			stationCreated: event.url.searchParams.has('created')
		};
	} catch (caught) {
		loadRefused(caught);
	}
};

export const actions: Actions = {
	create: async (event) => {
		requireAccountAdminPage(event.locals);
		const stationId = stationIdOf(event);
		const form = await event.request.formData();
		const generatePassword = form.get('passwordMode') !== 'typed';
		const role = userRoleSchema.safeParse(form.get('role'));
		if (!role.success) {
			return fail(400, { action: 'create', message: m.adm_role_required(), fields: ['role'] });
		}
		const caller = await serverCaller(event);
		try {
			const created = await caller.admin.users.create({
				stationId,
				login: String(form.get('login') ?? ''),
				name: String(form.get('name') ?? ''),
				role: role.data,
				...(generatePassword
					? { generatePassword }
					: { password: String(form.get('password') ?? '') }),
				reason: textField(form, 'reason')
			});
			return {
				action: 'create',
				created: { id: created.id, login: created.login, name: created.name },
				generatedPassword: created.generatedPassword
			};
		} catch (caught) {
			return refused('create', caught);
		}
	}
};
