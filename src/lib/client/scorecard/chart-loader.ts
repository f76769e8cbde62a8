/**
 * Chart.js, loaded on first use: the charts sit below the fold of the technician page only,
 * so the library stays out of every page's initial JavaScript. Only the parts of a line chart
 * are registered, which keeps the loaded chunk small too.
 */
import type { Chart } from 'chart.js';

let loading: Promise<typeof Chart> | null = null;

export function loadChart(): Promise<typeof Chart> {
	loading ??= import('chart.js')
		.then((chartJs) => {
			chartJs.Chart.register(
				chartJs.LineController,
				chartJs.LineElement,
				chartJs.PointElement,
				chartJs.LinearScale,
				chartJs.CategoryScale,
				chartJs.Legend,
				chartJs.Tooltip
			);
			return chartJs.Chart;
		})
		.catch((cause: unknown) => {
			// Offline before the chunk was ever fetched: let a later page try again.
			loading = null;
			throw cause;
		});
	return loading;
}
