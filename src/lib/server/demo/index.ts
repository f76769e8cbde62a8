/** The demo station: what the seed and start scripts and the server's first start need. */
export { DEMO_ACCOUNTS, DEMO_STATION } from './catalog';
export { ensureDemoStation, resetDemoStation, type DemoLoadResult } from './load';
