/**
 * The technician screens other than the job list, in one module so that they load together
 * when the first of them opens (TechnicianScreens.svelte): one file instead of one per screen
 * and per combination of screens sharing code, and smaller in all, since compression then
 * spans the screens' common markup and code.
 */
export { default as JobPage } from './JobPage.svelte';
export { default as NewJobForm } from './NewJobForm.svelte';
export { default as SyncDetails } from './SyncDetails.svelte';
