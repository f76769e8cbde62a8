/** The demo station: what the seed and start scripts and the server's first start need. */
export { DEMO_ACCOUNTS, DEMO_STATION, type DemoAccount } from './catalog';
export { generateDemo, type DemoData, type DemoOptions } from './generate';
export {
	DEMO_SEED,
	ensureDemoStation,
	resetDemoStation,
	type DemoLoadOptions,
	type DemoLoadResult,
	type EnsureDemoResult
} from './load';
