/**
 * A form with unsaved input asks before it is left. Call during a component's set-up (Kit's
 * beforeNavigate): a link, the back button or goto asks with confirm(); closing or reloading
 * the tab is cancelled, which makes the browser ask with its own beforeunload dialog.
 */
import { beforeNavigate } from '$app/navigation';
import { m } from '$lib/paraglide/messages.js';

export function askBeforeLeaving(unsaved: () => boolean): void {
	beforeNavigate((navigation) => {
		if (unsaved() && (navigation.type === 'leave' || !confirm(m.ph_leave_unsaved())))
			navigation.cancel();
	});
}
