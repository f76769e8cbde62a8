/**
 * Addresses of the technician screens. They are all the one route /tech with a query string:
 * SvelteKit then never needs the server's data to move between them (the root layout's data is
 * reused), which is what lets them work offline.
 */
export const techUrls = {
	list: () => '/tech',
	newJob: () => '/tech?view=new',
	revisit: (previousJobId: string) => `/tech?view=new&from=${encodeURIComponent(previousJobId)}`,
	job: (jobId: string) => `/tech?job=${encodeURIComponent(jobId)}`,
	receipt: (jobId: string) => `/tech?view=receipt&job=${encodeURIComponent(jobId)}`,
	sync: () => '/tech?view=sync',
	search: (query = '') => `/tech?view=search${query ? `&q=${encodeURIComponent(query)}` : ''}`
};
