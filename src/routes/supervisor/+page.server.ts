/**
 * The station home's decisions on its period (docs/kpi-rules.md, "Closed periods"): close a
 * past month, reopen a closed one with a reason. Plain form posts calling the tRPC API as the
 * signed-in user, so the periods service checks who may; what the page shows stays loaded by
 * +page.ts from scorecard.json (no server load here: it would break the offline start).
 */
import { fail } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { requireSupervisorPage } from '../access';
import type { Actions } from './$types';

export type PeriodActionResult =
	| { action: 'close'; month: string; closed: true }
	| { action: 'reopen'; month: string; reopened: true }
	| { action: 'close' | 'reopen'; message: string };

function refused(action: 'close' | 'reopen', caught: unknown) {
	const { status, message } = formRefusal(caught);
	return fail(status, { action, message } as PeriodActionResult);
}

export const actions: Actions = {
	closeMonth: async (event) => {
		requireSupervisorPage(event.locals);
		const form = await event.request.formData();
		const month = String(form.get('month') ?? '');
		const caller = await serverCaller(event);
		try {
			await caller.periods.close({ month });
			return { action: 'close', month, closed: true } as PeriodActionResult;
		} catch (caught) {
			return refused('close', caught);
		}
	},
	reopenMonth: async (event) => {
		requireSupervisorPage(event.locals);
		const form = await event.request.formData();
		const closureId = String(form.get('closureId') ?? '');
		const month = String(form.get('month') ?? '');
		const caller = await serverCaller(event);
		try {
			await caller.periods.reopen({ closureId, reason: String(form.get('reason') ?? '') });
			return { action: 'reopen', month, reopened: true } as PeriodActionResult;
		} catch (caught) {
			return refused('reopen', caught);
		}
	}
};
