import { json } from '@sveltejs/kit';
import { stringify } from 'devalue';
import { readJobView } from '../job-view.server';
import type { RequestHandler } from './$types';

/**
 * The job page's data. Its dates are Date objects, so the view travels in devalue's format (the
 * one SvelteKit uses for page data) inside a JSON envelope whose `generatedAt` the device's
 * offline copy is dated by.
 */
export const GET: RequestHandler = async (event) => {
	const view = await readJobView(event);
	return json(
		{ generatedAt: view.generatedAt, view: stringify(view) },
		{ headers: { 'cache-control': 'private, no-store' } }
	);
};
