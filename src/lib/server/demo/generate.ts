/**
 * Months of plausible history for the demo station, as plain rows.
 *
 * A pure function of `now` and `seed`: the same inputs give the same rows, and moving `now`
 * by whole weeks moves every timestamp by the same amount. The history is simulated day by
 * day: customers report faults (more on weekdays, mostly in daytime), a technician is
 * dispatched, arrives during working hours, repairs at their own pace and success rate, and
 * the station calls customers back. Failed repairs bring second visits linked to the first,
 * some repaired devices fail again and are reported as new jobs (the serial typed a little
 * differently), and a few records carry the data-quality problems kpi.md flags.
 *
 * Most jobs come from the desk: a customer calls, the desk saves the job (its reported time, the
 * server's clock) and dispatches it, mostly within minutes during working hours, at the next
 * morning for a call in the evening; the technician arrives hours later. Some jobs a technician
 * opens on site (walk-ins, found on site): reported on arrival. The latest calls are still
 * waiting for the desk to dispatch them, so the open-jobs board always has work on it.
 */
import type { FollowUpChannel, JobOutcome, JobStatus, UserRole } from '../../shared/domain';
import type { JobOrigin, JobUrgency } from '../../shared/desk-domain';
import {
	AWAITING_PARTS_NOTE,
	DESK_CHANNEL_ODDS,
	CUSTOMER_GIVEN_NAMES,
	CUSTOMER_SURNAMES,
	DEMO_ACCOUNTS,
	DEMO_ADMIN,
	DEMO_CATEGORIES,
	DEMO_DESK,
	DEMO_PARTS,
	DEMO_STATION,
	DEMO_SUPERVISOR,
	DEMO_TECHNICIANS,
	DISTRICTS,
	FOLLOW_UP_COMMENTS,
	JOB_NOTES,
	PRICE_RISE_DAYS_AGO,
	PRODUCT_MODELS,
	ROADS,
	SERIAL_PREFIX,
	type DemoCategorySpec,
	type DemoPartSpec,
	type ProductKind,
	type TechnicianProfile
} from './catalog';
import { SeededRandom } from './random';

/** Days of history, today included: 26 whole weeks, about six months. */
export const DEMO_HISTORY_DAYS = 182;

interface DemoOptions {
	now: Date;
	seed: number;
}

export interface DemoStationRow {
	id: string;
	code: string;
	name: string;
	timeZone: string;
}

export interface DemoUser {
	id: string;
	login: string;
	name: string;
	role: UserRole;
}

export interface DemoCategory {
	id: string;
	code: string;
	name: string;
	standardMinutes: number;
}

export interface DemoPart {
	id: string;
	sku: string;
	name: string;
	unit: string;
	/** Decimal string with 2 places, as numeric(12,2) stores it. */
	unitCost: string;
}

export interface DemoJob {
	id: string;
	jobNo: string;
	/** Null: the desk has not dispatched the job yet. */
	technicianId: string | null;
	origin: JobOrigin;
	/** The desk for a call, the technician for a walk-in. */
	reportedBy: string;
	urgency: JobUrgency;
	/** When the desk gave the job to its technician; for a walk-in, when it was opened. */
	assignedAt: Date | null;
	customerName: string;
	customerPhone: string;
	customerAddress: string;
	productModel: string;
	deviceSerial: string;
	faultCategoryId: string;
	faultDescription: string;
	reportedAt: Date;
	arrivedAt: Date | null;
	startedAt: Date | null;
	completedAt: Date | null;
	status: JobStatus;
	outcome: JobOutcome | null;
	previousJobId: string | null;
	notes: string;
	verifiedAt: Date | null;
	verifiedBy: string | null;
	createdAt: Date;
	updatedAt: Date;
}

export interface DemoJobPart {
	id: string;
	jobId: string;
	partId: string;
	qty: string;
	unitCost: string;
	createdBy: string;
	createdAt: Date;
}

export interface DemoFollowUp {
	id: string;
	jobId: string;
	/** Null for a customer's survey answer: nobody's account. */
	userId: string | null;
	visitedAt: Date;
	channel: FollowUpChannel;
	/**
	 * Who recorded it (docs/kpi-rules.md): the desk's calls, a supervisor's quality checks and the
	 * customers' survey answers rate; a technician's own follow-up is a note without a rating.
	 */
	source: 'technician' | 'desk' | 'supervisor' | 'survey';
	satisfaction: number | null;
	issueResolved: boolean | null;
	comment: string;
	createdAt: Date;
}

/** A customer's answer to a job's survey (docs/survey.md), with the follow-up it wrote. */
export interface DemoSurveyAnswer {
	jobId: string;
	answeredAt: Date;
	satisfaction: number;
	issueResolved: boolean;
	comment: string;
	followUpId: string;
}

export interface DemoData {
	station: DemoStationRow;
	/** Admin, supervisor, desk, then the technicians, in DEMO_ACCOUNTS order. */
	users: DemoUser[];
	categories: DemoCategory[];
	parts: DemoPart[];
	/** Ordered by reported_at; job numbers count up per local day in that order. */
	jobs: DemoJob[];
	jobParts: DemoJobPart[];
	followUps: DemoFollowUp[];
	surveyAnswers: DemoSurveyAnswer[];
}

export function generateDemo({ now, seed }: DemoOptions): DemoData {
	return new HistorySimulation(new SeededRandom(seed), now.getTime()).run();
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Asia/Shanghai has been UTC+8 all year since 1991, so local time is a fixed offset. */
const STATION_UTC_OFFSET = 8 * HOUR;

const STAFF_NAMES: ReadonlySet<string> = new Set(DEMO_ACCOUNTS.map((account) => account.name));

/** Mean reported faults per local weekday, Sunday first. */
const DAILY_REPORTS = [6.5, 11.5, 11, 11, 11, 11, 8.5];
/** Relative number of reports per local hour, 0–23: daytime, with an after-work bump. */
const REPORT_HOURS = [
	0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 1, 3, 5, 5.5, 4.5, 3, 3.5, 4.5, 4.5, 4, 3.5, 3, 3.5, 3, 2,
	1, 0.5
].map((weight, hour) => [hour, weight] as const);
const WORKDAY_START_HOUR = 8;
const WORKDAY_END_HOUR = 20;

const CANCEL_RATE = 0.02;
const CANCEL_REASONS = ['客户取消：已自行解决', '客户取消：改约后不需要了', '重复报修，已合并'];
/** Recent jobs stuck waiting for a part stay in progress; this is how many do. */
const AWAITING_PARTS_RATE = 0.08;
const AWAITING_PARTS_WINDOW = 5 * DAY;
const VERIFY_RATE = 0.85;
const NOTE_RATE = 0.2;
const EMPTY_SERIAL_RATE = 0.08;
/** A not-fixed job gets a second visit linked to it this often. */
const SECOND_VISIT_RATE = 0.85;
/** A relapsed device is reported with a link to the earlier job this often. */
const RELAPSE_LINKED_RATE = 0.55;
/** Devices coming back with a new fault after the rework window. */
const LATER_FAULT_RATE = 0.03;
const UNREACHABLE_RATE = 0.08;
const SMS_NO_REPLY_RATE = 0.3;
const QUALITY_CHECK_RATE = 0.05;
/** Customers who answer the survey from the technician's QR code instead of waiting for a call. */
const SURVEY_ANSWER_RATE = 0.3;
/** Survey answers that leave a comment (it is optional on the page). */
const SURVEY_COMMENT_RATE = 0.4;
/** Jobs whose technician writes a follow-up note of their own (before verification). */
const TECHNICIAN_NOTE_RATE = 0.2;
/** Reports a technician opens on site instead of the desk (walk-ins, found on site). */
const WALK_IN_RATE = 0.12;
/** Calls the desk marks urgent; the technician goes about twice as fast. */
const URGENT_RATE = 0.1;
/** The desk dispatches a call this many minutes after saving it, during working hours. */
const DISPATCH_MINUTES = [2, 25] as const;
/**
 * What the open-jobs board shows when the demo starts, whatever the hour: calls the desk has not
 * dispatched yet (minutes of working time before now), and dispatched jobs past the response
 * thresholds' pass line (24 h): one whose technician has not come yet, one waiting for a part.
 */
const WAITING_CALL_MINUTES = [20, 75, 140];
const OVERDUE_VISIT_HOURS = 29;
const OVERDUE_PARTS_HOURS = 52;

/** Nameplate characters: no I or O, which read as 1 and 0. */
const SERIAL_ALPHABET = [...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'];

type DataFlaw = 'missing_arrival' | 'missing_start' | 'out_of_order' | 'long_repair';
const DATA_FLAWS: readonly DataFlaw[] = [
	'missing_arrival',
	'missing_start',
	'out_of_order',
	'long_repair'
];

interface Technician extends TechnicianProfile {
	id: string;
}

interface Category extends DemoCategorySpec {
	id: string;
}

interface Customer {
	name: string;
	phone: string;
	address: string;
}

interface Device {
	kind: ProductKind;
	model: string;
	/** As printed on the nameplate; empty when the customer could not read it. */
	serial: string;
}

/** A customer's report, before it becomes a job. */
interface Report {
	reportedAt: number;
	customer: Customer;
	device: Device;
	/** The serial as the dispatcher typed it. */
	serialAsTyped: string;
	category: Category;
	description: string;
	technician: Technician | null;
	previousJob: DemoJob | null;
}

class HistorySimulation {
	private readonly station: DemoStationRow;
	private readonly admin: DemoUser;
	private readonly supervisor: DemoUser;
	private readonly desk: DemoUser;
	private readonly technicians: Technician[];
	private readonly seniors: Technician[];
	private readonly categories: Category[];
	private readonly parts: Map<string, DemoPart & { spec: DemoPartSpec }>;
	private readonly priceRiseAt: number;
	private readonly serials = new Set<string>();
	private readonly jobs: DemoJob[] = [];
	private readonly jobParts: DemoJobPart[] = [];
	private readonly followUps: DemoFollowUp[] = [];
	private readonly surveyAnswers: DemoSurveyAnswer[] = [];
	/** Reports that follow from earlier jobs: second visits, relapses, later faults. */
	private readonly laterReports: Report[] = [];

	constructor(
		private readonly rng: SeededRandom,
		private readonly now: number
	) {
		this.station = { id: rng.uuidV4(), ...DEMO_STATION };
		this.admin = { id: rng.uuidV4(), ...DEMO_ADMIN, role: 'admin' };
		this.supervisor = { id: rng.uuidV4(), ...DEMO_SUPERVISOR, role: 'supervisor' };
		this.desk = { id: rng.uuidV4(), ...DEMO_DESK, role: 'dispatcher' };
		this.technicians = DEMO_TECHNICIANS.map((profile) => ({ ...profile, id: rng.uuidV4() }));
		this.seniors = [...this.technicians].sort((a, b) => b.fixRate - a.fixRate).slice(0, 3);
		this.categories = DEMO_CATEGORIES.map((spec) => ({ ...spec, id: rng.uuidV4() }));
		this.parts = new Map(
			DEMO_PARTS.map((spec) => [
				spec.sku,
				{
					id: rng.uuidV4(),
					sku: spec.sku,
					name: spec.name,
					unit: spec.unit,
					unitCost: formatFen(spec.costFen),
					spec
				}
			])
		);
		this.priceRiseAt = now - PRICE_RISE_DAYS_AGO * DAY;
	}

	run(): DemoData {
		const today = localDayStart(this.now);
		for (let day = today - (DEMO_HISTORY_DAYS - 1) * DAY; day <= today; day += DAY) {
			const reports = this.rng.poisson(
				DAILY_REPORTS[new Date(day + STATION_UTC_OFFSET).getUTCDay()]
			);
			const times = Array.from(
				{ length: reports },
				() =>
					day +
					this.rng.weighted(REPORT_HOURS) * HOUR +
					this.rng.int(0, 59) * MINUTE +
					this.rng.int(0, 59) * 1000
			).sort((a, b) => a - b);
			for (const reportedAt of times) {
				if (reportedAt <= this.now) this.handle(this.newReport(reportedAt));
			}
		}
		// Handling a report may add more; each lies later than its cause, so this ends.
		for (let next = this.laterReports.shift(); next; next = this.laterReports.shift()) {
			this.handle(next);
		}
		this.addTheDesksWorkInHand();
		this.numberJobs();
		return {
			station: this.station,
			users: [this.admin, this.supervisor, this.desk, ...this.technicians.map(toUserRow)],
			categories: this.categories.map(({ id, code, name, standardMinutes }) => ({
				id,
				code,
				name,
				standardMinutes
			})),
			parts: [...this.parts.values()].map(({ id, sku, name, unit, unitCost }) => ({
				id,
				sku,
				name,
				unit,
				unitCost
			})),
			jobs: this.jobs,
			jobParts: this.jobParts,
			followUps: this.followUps,
			surveyAnswers: this.surveyAnswers
		};
	}

	private newReport(reportedAt: number): Report {
		const category = this.rng.weighted(this.categories.map((c) => [c, c.frequency] as const));
		const kind = this.rng.weighted(
			Object.entries(category.products).map(([k, weight]) => [k as ProductKind, weight] as const)
		);
		const device: Device = {
			kind,
			model: this.rng.pick(PRODUCT_MODELS[kind]),
			serial: this.rng.chance(EMPTY_SERIAL_RATE) ? '' : this.newSerial(kind)
		};
		return {
			reportedAt,
			customer: this.newCustomer(),
			device,
			serialAsTyped: device.serial,
			category,
			description: this.rng.pick(category.descriptions),
			technician: null,
			previousJob: null
		};
	}

	private handle(report: Report): void {
		const rng = this.rng;
		const technician = report.technician ?? this.dispatch(report.reportedAt);
		const reportedAt = report.reportedAt;
		// A technician comes across new work on site only while at work; second visits and
		// relapses are the customer calling the desk again.
		const walkIn =
			report.previousJob === null && isWorkingHour(reportedAt) && rng.chance(WALK_IN_RATE);
		const urgency: JobUrgency = !walkIn && rng.chance(URGENT_RATE) ? 'urgent' : 'normal';
		const job: DemoJob = {
			id: rng.uuidV7(new Date(reportedAt)),
			jobNo: '',
			technicianId: technician.id,
			origin: walkIn ? 'technician' : 'desk',
			reportedBy: walkIn ? technician.id : this.desk.id,
			urgency,
			assignedAt: null,
			customerName: report.customer.name,
			customerPhone: report.customer.phone,
			customerAddress: report.customer.address,
			productModel: report.device.model,
			deviceSerial: report.serialAsTyped,
			faultCategoryId: report.category.id,
			faultDescription: report.description,
			reportedAt: new Date(reportedAt),
			arrivedAt: null,
			startedAt: null,
			completedAt: null,
			status: 'open',
			outcome: null,
			previousJobId: report.previousJob?.id ?? null,
			notes: rng.chance(NOTE_RATE) ? rng.pick(JOB_NOTES) : '',
			verifiedAt: null,
			verifiedBy: null,
			// The desk saves on the server; a phone's job reaches it with the next sync.
			createdAt: walkIn
				? new Date(Math.min(this.now, reportedAt + rng.int(1, 15) * MINUTE))
				: new Date(reportedAt),
			updatedAt: new Date(reportedAt)
		};
		this.jobs.push(job);
		const dispatchedAt = walkIn
			? reportedAt
			: this.duringWorkingHours(reportedAt + rng.int(...DISPATCH_MINUTES) * MINUTE);

		const cancelledAt = reportedAt + this.someHours(0.5, 20);
		if (rng.chance(CANCEL_RATE) && cancelledAt <= this.now) {
			if (dispatchedAt <= cancelledAt) job.assignedAt = new Date(dispatchedAt);
			else job.technicianId = null;
			job.status = 'cancelled';
			job.notes = rng.pick(CANCEL_REASONS);
			job.updatedAt = new Date(cancelledAt);
			return;
		}

		const responseHours = technician.responseHours * (urgency === 'urgent' ? 0.5 : 1);
		const arrivedAt = walkIn
			? reportedAt + rng.int(1, 5) * MINUTE
			: Math.max(
					dispatchedAt + rng.int(15, 40) * MINUTE,
					this.duringWorkingHours(
						reportedAt + wholeMinutes(Math.max(0.3, rng.logNormal(responseHours, 0.6)) * 60)
					)
				);
		const startedAt = arrivedAt + rng.int(5, 25) * MINUTE;
		const repairMinutes = Math.max(
			10,
			rng.logNormal(report.category.standardMinutes * technician.speed, 0.3)
		);
		let completedAt = startedAt + Math.round(repairMinutes) * MINUTE;
		const awaitingParts =
			rng.chance(AWAITING_PARTS_RATE) && reportedAt > this.now - AWAITING_PARTS_WINDOW;

		if (dispatchedAt <= this.now) job.assignedAt = new Date(dispatchedAt);
		else job.technicianId = null;
		if (arrivedAt > this.now) {
			job.updatedAt = job.assignedAt ?? job.createdAt;
			return;
		}
		job.arrivedAt = new Date(arrivedAt);
		job.status = 'in_progress';
		job.updatedAt = job.arrivedAt;
		if (startedAt > this.now) return;
		job.startedAt = new Date(startedAt);
		job.updatedAt = job.startedAt;
		if (awaitingParts) {
			job.notes = AWAITING_PARTS_NOTE;
			return;
		}
		if (completedAt > this.now) return;

		const flaw = rng.chance(technician.sloppiness) ? rng.pick(DATA_FLAWS) : null;
		if (flaw === 'long_repair') {
			// The technician forgot to close the job on the phone until the next day.
			const closedLate = startedAt + this.someHours(12.5, 26);
			if (closedLate <= this.now) completedAt = closedLate;
		} else if (flaw === 'missing_arrival') {
			job.arrivedAt = null;
		} else if (flaw === 'missing_start') {
			job.startedAt = null;
		} else if (flaw === 'out_of_order') {
			if (rng.chance(0.5)) job.arrivedAt = new Date(reportedAt - rng.int(1, 6) * HOUR);
			else job.startedAt = new Date(arrivedAt - rng.int(10, 50) * MINUTE);
		}

		job.status = 'completed';
		job.completedAt = new Date(completedAt);
		job.outcome = rng.chance(technician.fixRate * report.category.ease) ? 'fixed' : 'not_fixed';
		const verifiedAt = completedAt + this.someHours(12, 72);
		if (rng.chance(VERIFY_RATE) && verifiedAt <= this.now) {
			job.verifiedAt = new Date(verifiedAt);
			job.verifiedBy = this.supervisor.id;
		}
		job.updatedAt = job.verifiedAt ?? job.completedAt;

		const relapses = job.outcome === 'fixed' && rng.chance(technician.relapseRate);
		this.useParts(job, report, technician, completedAt);
		if (rng.chance(technician.followUpRate)) {
			this.callBack(job, technician, relapses, completedAt);
		}
		this.scheduleConsequences(job, report, relapses, completedAt);
	}

	private dispatch(at: number): Technician {
		const onStaff = this.technicians.filter(
			(t) => t.joinedDaysAgo === undefined || at >= this.now - t.joinedDaysAgo * DAY
		);
		return this.rng.weighted(onStaff.map((t) => [t, t.workload] as const));
	}

	private useParts(job: DemoJob, report: Report, technician: Technician, at: number): void {
		const rng = this.rng;
		const [none, one, two, three] = report.category.lineOdds;
		const appetite = technician.partsAppetite;
		let lines: number = rng.weighted([
			[0, none / appetite],
			[1, one],
			[2, two * appetite],
			[3, three * appetite]
		] as const);
		const candidates = [...(report.category.parts[report.device.kind] ?? [])];
		while (lines-- > 0 && candidates.length > 0) {
			const sku = rng.weighted(candidates);
			candidates.splice(
				candidates.findIndex(([candidate]) => candidate === sku),
				1
			);
			const part = this.parts.get(sku);
			if (!part) throw new Error(`Demo category ${report.category.code} names unknown part ${sku}`);
			const costFen =
				at < this.priceRiseAt && part.spec.formerPriceFactor
					? Math.round(part.spec.costFen * part.spec.formerPriceFactor)
					: part.spec.costFen;
			this.jobParts.push({
				id: rng.uuidV7(new Date(at)),
				jobId: job.id,
				partId: part.id,
				qty: this.quantity(part.spec),
				unitCost: formatFen(costFen),
				createdBy: technician.id,
				createdAt: new Date(at)
			});
		}
	}

	private quantity(part: DemoPartSpec): string {
		if (part.unit === '米') return this.rng.pick(['1.5', '2', '2.5', '3', '4.5']);
		if (part.unit === '个' && this.rng.chance(0.15)) return '2';
		return '1';
	}

	/**
	 * The station's 回访. A rating comes from someone other than the technician
	 * (docs/kpi-rules.md): the customer's own survey answer from the QR code shown at completion,
	 * usually within hours; else the desk's call a day or two later (sometimes after a first
	 * unanswered one); now and then a supervisor's quality check. Some technicians also note a
	 * follow-up of their own, which carries no rating.
	 */
	private callBack(job: DemoJob, technician: Technician, relapses: boolean, completedAt: number) {
		const rng = this.rng;
		if (rng.chance(TECHNICIAN_NOTE_RATE)) this.technicianNote(job, technician, completedAt);
		let at: number;
		if (rng.chance(SURVEY_ANSWER_RATE)) {
			at = completedAt + wholeMinutes(Math.min(20 * 24 * 60, rng.logNormal(8 * 60, 1)));
			if (at > this.now) return;
			this.recordSurveyAnswer(job, at, this.customerVerdict(job, technician, relapses, 'other'));
		} else {
			at = this.duringWorkingHours(
				completedAt + wholeMinutes(Math.min(12 * 24, Math.max(4, rng.logNormal(36, 0.6))) * 60)
			);
			if (at > this.now) return;
			if (rng.chance(UNREACHABLE_RATE)) {
				this.recordFollowUp(job, at, 'phone', this.desk.id, {
					satisfaction: null,
					issueResolved: null,
					comment: rng.pick(FOLLOW_UP_COMMENTS.unreachable)
				});
				at = this.duringWorkingHours(at + this.someHours(20, 52));
				if (at > this.now) return;
			}
			const channel = rng.weighted(DESK_CHANNEL_ODDS);
			this.recordFollowUp(
				job,
				at,
				channel,
				this.desk.id,
				this.customerVerdict(job, technician, relapses, channel)
			);
		}

		const checkAt = this.duringWorkingHours(at + this.someDays(3, 10));
		if (rng.chance(QUALITY_CHECK_RATE) && checkAt <= this.now) {
			this.recordFollowUp(
				job,
				checkAt,
				rng.chance(0.5) ? 'onsite' : 'phone',
				this.supervisor.id,
				this.customerVerdict(job, technician, relapses, 'phone')
			);
		}
	}

	/** A technician's own follow-up: a note, never a rating, and never on a verified job. */
	private technicianNote(job: DemoJob, technician: Technician, completedAt: number): void {
		const at = completedAt + this.someHours(2, 30);
		if (at > this.now || (job.verifiedAt && at >= job.verifiedAt.getTime())) return;
		this.recordFollowUp(job, at, this.rng.chance(0.5) ? 'onsite' : 'phone', technician.id, {
			satisfaction: null,
			issueResolved: null,
			comment: this.rng.pick(FOLLOW_UP_COMMENTS.technicianNotes)
		});
	}

	/** The customer's survey answer: its follow-up (source survey, nobody's account) and row. */
	private recordSurveyAnswer(
		job: DemoJob,
		at: number,
		verdict: Pick<DemoFollowUp, 'satisfaction' | 'issueResolved' | 'comment'>
	): void {
		const satisfaction = verdict.satisfaction ?? 3;
		// The page asks both questions; an unsure customer answers by how they feel.
		const issueResolved = verdict.issueResolved ?? satisfaction >= 4;
		const comment = this.rng.chance(SURVEY_COMMENT_RATE) ? verdict.comment : '';
		const answeredAt = new Date(at);
		const followUpId = this.rng.uuidV7(answeredAt);
		this.followUps.push({
			id: followUpId,
			jobId: job.id,
			userId: null,
			visitedAt: answeredAt,
			channel: 'other',
			source: 'survey',
			satisfaction,
			issueResolved,
			comment,
			createdAt: answeredAt
		});
		this.surveyAnswers.push({
			jobId: job.id,
			answeredAt,
			satisfaction,
			issueResolved,
			comment,
			followUpId
		});
	}

	private customerVerdict(
		job: DemoJob,
		technician: Technician,
		relapses: boolean,
		channel: FollowUpChannel
	): Pick<DemoFollowUp, 'satisfaction' | 'issueResolved' | 'comment'> {
		const rng = this.rng;
		const disappointed = job.outcome === 'not_fixed' || (relapses && rng.chance(0.6));
		let satisfaction: number | null = disappointed
			? rng.weighted([
					[1, 0.25],
					[2, 0.3],
					[3, 0.3],
					[4, 0.12],
					[5, 0.03]
				] as const)
			: pleasedScore(rng, technician.charm);
		if (channel === 'sms' && rng.chance(SMS_NO_REPLY_RATE)) satisfaction = null;

		let issueResolved: boolean | null;
		if (job.outcome === 'not_fixed') issueResolved = rng.chance(0.8) ? false : null;
		else if (relapses)
			issueResolved = rng.weighted([
				[false, 0.5],
				[true, 0.3],
				[null, 0.2]
			] as const);
		else issueResolved = rng.chance(0.9) ? true : null;

		let comment = '';
		if (satisfaction === null) comment = channel === 'sms' ? '短信未回复' : '';
		else if (satisfaction >= 4) comment = rng.pick(FOLLOW_UP_COMMENTS.happy);
		else if (satisfaction === 3) comment = rng.pick(FOLLOW_UP_COMMENTS.neutral);
		else comment = rng.pick(FOLLOW_UP_COMMENTS.unhappy);
		return { satisfaction, issueResolved, comment };
	}

	private recordFollowUp(
		job: DemoJob,
		at: number,
		channel: FollowUpChannel,
		userId: string,
		verdict: Pick<DemoFollowUp, 'satisfaction' | 'issueResolved' | 'comment'>
	): void {
		const visitedAt = new Date(at);
		this.followUps.push({
			id: this.rng.uuidV7(visitedAt),
			jobId: job.id,
			userId,
			visitedAt,
			channel,
			source:
				userId === this.supervisor.id
					? 'supervisor'
					: userId === this.desk.id
						? 'desk'
						: 'technician',
			...verdict,
			createdAt: new Date(Math.min(this.now, at + this.rng.int(1, 30) * MINUTE))
		});
	}

	/** What an outcome brings later: second visits, relapses and unrelated later faults. */
	private scheduleConsequences(
		job: DemoJob,
		report: Report,
		relapses: boolean,
		completedAt: number
	): void {
		const rng = this.rng;
		const schedule = (later: Omit<Report, 'customer' | 'device'>) => {
			if (later.reportedAt <= this.now) {
				this.laterReports.push({ ...later, customer: report.customer, device: report.device });
			}
		};
		const serial = report.device.serial;
		if (job.outcome === 'not_fixed' && rng.chance(SECOND_VISIT_RATE)) {
			schedule({
				reportedAt: this.duringWorkingHours(completedAt + this.someDays(0.5, 6)),
				serialAsTyped: serial,
				category: report.category,
				description: `二次上门：${report.description}`,
				technician: rng.chance(0.7) ? this.technicianOf(job) : rng.pick(this.seniors),
				previousJob: job
			});
		}
		if (relapses) {
			const linked = serial === '' || rng.chance(RELAPSE_LINKED_RATE);
			schedule({
				reportedAt: this.duringWorkingHours(completedAt + this.someDays(2, 27)),
				serialAsTyped: linked || rng.chance(0.3) ? serial : this.misspell(serial),
				category: report.category,
				description: `${rng.pick(report.category.descriptions)}（上次维修后复发）`,
				technician: null,
				previousJob: linked ? job : null
			});
		}
		if (serial !== '' && rng.chance(LATER_FAULT_RATE)) {
			const category = rng.pick(
				this.categories.filter((c) => c.products[report.device.kind] !== undefined)
			);
			schedule({
				reportedAt: this.duringWorkingHours(completedAt + this.someDays(35, 120)),
				serialAsTyped: rng.chance(0.5) ? serial : this.misspell(serial),
				category,
				description: rng.pick(category.descriptions),
				technician: null,
				previousJob: null
			});
		}
	}

	private technicianOf(job: DemoJob): Technician {
		const technician = this.technicians.find((t) => t.id === job.technicianId);
		if (!technician) throw new Error(`Demo job ${job.id} has no known technician`);
		return technician;
	}

	/** The same serial as a dispatcher might type it: other case, stray spaces. */
	private misspell(serial: string): string {
		const variants = [
			serial.toLowerCase(),
			` ${serial} `,
			`${serial.slice(0, 2).toLowerCase()}${serial.slice(2)}`,
			`${serial.toLowerCase()}  `
		];
		return this.rng.pick(variants);
	}

	/** A random span in milliseconds, in whole seconds as a phone app records it. */
	private someHours(min: number, max: number): number {
		return Math.round(this.rng.between(min, max) * 3600) * 1000;
	}

	private someDays(min: number, max: number): number {
		return this.someHours(min * 24, max * 24);
	}

	/** A time that falls outside working hours moves to the next morning. */
	private duringWorkingHours(at: number): number {
		if (isWorkingHour(at)) return at;
		const hour = Math.floor((at - localDayStart(at)) / HOUR);
		const morning = localDayStart(at) + (hour >= WORKDAY_END_HOUR ? DAY : 0);
		return morning + WORKDAY_START_HOUR * HOUR + this.rng.int(0, 90) * MINUTE;
	}

	private newSerial(kind: ProductKind): string {
		for (;;) {
			let serial = `${SERIAL_PREFIX[kind]}${this.rng.int(19, 26)}`;
			for (let i = 0; i < 10; i++) serial += this.rng.pick(SERIAL_ALPHABET);
			if (!this.serials.has(serial)) {
				this.serials.add(serial);
				return serial;
			}
		}
	}

	private newCustomer(): Customer {
		const rng = this.rng;
		const surname = rng.pick(CUSTOMER_SURNAMES);
		let name = rng.chance(0.4)
			? `${surname}${rng.pick(['先生', '女士'])}`
			: `${surname}${rng.pick(CUSTOMER_GIVEN_NAMES)}`;
		// A customer who shares a colleague's name would read, on a job list, as that colleague.
		while (STAFF_NAMES.has(name)) name = `${surname}${rng.pick(CUSTOMER_GIVEN_NAMES)}`;
		const mobilePrefix = rng.pick(['138', '139', '135', '136', '150', '158', '186', '189', '177']);
		const phone = `${mobilePrefix}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
		const address =
			`上海市${rng.pick(DISTRICTS)}${rng.pick(ROADS)}${rng.int(1, 2000)}弄` +
			`${rng.int(1, 40)}号${rng.int(1, 25)}0${rng.int(1, 4)}室`;
		return { name, phone, address };
	}

	/** The board's work in hand when the demo starts (WAITING_CALL_MINUTES and after). */
	private addTheDesksWorkInHand(): void {
		const rng = this.rng;
		for (const minutes of WAITING_CALL_MINUTES) {
			this.openCall(this.workingTimeBefore(minutes * MINUTE), null);
		}
		// The slowest responder has not reached this customer yet.
		const slowest = [...this.technicians].sort((a, b) => b.responseHours - a.responseHours)[0];
		const notVisited = this.openCall(this.workingTimeBefore(OVERDUE_VISIT_HOURS * HOUR), slowest);
		notVisited.assignedAt = new Date(notVisited.reportedAt.getTime() + 10 * MINUTE);
		notVisited.updatedAt = notVisited.assignedAt;
		const waitingForPart = this.openCall(
			this.workingTimeBefore(OVERDUE_PARTS_HOURS * HOUR),
			rng.pick(this.technicians.filter((t) => t.joinedDaysAgo === undefined))
		);
		const reportedAt = waitingForPart.reportedAt.getTime();
		waitingForPart.assignedAt = new Date(reportedAt + 10 * MINUTE);
		waitingForPart.arrivedAt = new Date(this.duringWorkingHours(reportedAt + 3 * HOUR));
		waitingForPart.startedAt = new Date(waitingForPart.arrivedAt.getTime() + 15 * MINUTE);
		waitingForPart.status = 'in_progress';
		waitingForPart.notes = AWAITING_PARTS_NOTE;
		waitingForPart.updatedAt = waitingForPart.startedAt;
	}

	/** A customer's call the desk saved at `reportedAt`, for `technician` or nobody yet. */
	private openCall(reportedAt: number, technician: Technician | null): DemoJob {
		const report = this.newReport(reportedAt);
		const job: DemoJob = {
			id: this.rng.uuidV7(new Date(reportedAt)),
			jobNo: '',
			technicianId: technician?.id ?? null,
			origin: 'desk',
			reportedBy: this.desk.id,
			urgency: 'normal',
			assignedAt: null,
			customerName: report.customer.name,
			customerPhone: report.customer.phone,
			customerAddress: report.customer.address,
			productModel: report.device.model,
			deviceSerial: report.serialAsTyped,
			faultCategoryId: report.category.id,
			faultDescription: report.description,
			reportedAt: new Date(reportedAt),
			arrivedAt: null,
			startedAt: null,
			completedAt: null,
			status: 'open',
			outcome: null,
			previousJobId: null,
			notes: '',
			verifiedAt: null,
			verifiedBy: null,
			createdAt: new Date(reportedAt),
			updatedAt: new Date(reportedAt)
		};
		this.jobs.push(job);
		return job;
	}

	/**
	 * `span` before now if that lies in working hours; otherwise a little before the end of the
	 * working day before it (the desk takes no calls at night), at least `span` before now.
	 */
	private workingTimeBefore(span: number): number {
		const at = this.now - span;
		if (isWorkingHour(at)) return at;
		const dayStart = localDayStart(at);
		const hour = Math.floor((at - dayStart) / HOUR);
		const lastEnd = dayStart + WORKDAY_END_HOUR * HOUR - (hour < WORKDAY_START_HOUR ? DAY : 0);
		return lastEnd - (span % (3 * HOUR));
	}

	/** DEMO-YYYYMMDD-NNNN: the local report date and a running number within it. */
	private numberJobs(): void {
		this.jobs.sort(
			(a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || compare(a.id, b.id)
		);
		let day = '';
		let sequence = 0;
		for (const job of this.jobs) {
			const local = new Date(job.reportedAt.getTime() + STATION_UTC_OFFSET).toISOString();
			const date = local.slice(0, 10).replaceAll('-', '');
			sequence = date === day ? sequence + 1 : 1;
			day = date;
			job.jobNo = `${DEMO_STATION.code}-${date}-${String(sequence).padStart(4, '0')}`;
		}
	}
}

/** A pleased customer's stars: the more charming the technician, the more fives. */
function pleasedScore(rng: SeededRandom, charm: number): number {
	const five = 0.2 + 0.55 * charm;
	const rest = 0.55 - 0.55 * charm;
	return rng.weighted([
		[5, five],
		[4, 0.25],
		[3, 0.6 * rest],
		[2, 0.25 * rest],
		[1, 0.15 * rest]
	] as const);
}

function toUserRow(technician: Technician): DemoUser {
	return { id: technician.id, login: technician.login, name: technician.name, role: 'technician' };
}

function isWorkingHour(at: number): boolean {
	const hour = Math.floor((at - localDayStart(at)) / HOUR);
	return hour >= WORKDAY_START_HOUR && hour < WORKDAY_END_HOUR;
}

function localDayStart(at: number): number {
	return Math.floor((at + STATION_UTC_OFFSET) / DAY) * DAY - STATION_UTC_OFFSET;
}

function wholeMinutes(minutes: number): number {
	return Math.round(minutes) * MINUTE;
}

function formatFen(fen: number): string {
	return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
