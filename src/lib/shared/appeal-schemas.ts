/**
 * Appeals (docs/kpi-rules.md "Appeals and exclusions"): a technician's appeal of a rework or a
 * flag on their own completed job, a supervisor's decision, and what both read back. The one
 * validation of the tRPC inputs and the shapes pages show; apart from schemas.ts (the phone's
 * script budget: only the appeal form, loaded on demand, imports it).
 */
import { z } from 'zod/mini';
import { APPEAL_STATUSES, APPEAL_SUBJECTS, EXCLUDABLE_KPIS } from './honesty-domain';

const text = (max: number) => z.string().check(z.trim(), z.maxLength(max));
const required = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const APPEAL_REASON_MAX = 1000;
export const APPEAL_EVIDENCE_MAX = 2000;

export const fileAppealSchema = z.strictObject({
	jobId: z.uuid(),
	subject: z.enum(APPEAL_SUBJECTS),
	/** The flag appealed; only with subject flag. */
	flag: z.optional(z.nullable(text(40))),
	reason: required(APPEAL_REASON_MAX),
	evidence: z._default(text(APPEAL_EVIDENCE_MAX), '')
});
export type FileAppealInput = z.output<typeof fileAppealSchema>;

export const decideAppealSchema = z.strictObject({
	appealId: z.uuid(),
	accept: z.boolean(),
	reason: required(APPEAL_REASON_MAX)
});
export type DecideAppealInput = z.output<typeof decideAppealSchema>;

export const appealListSchema = z.strictObject({
	status: z.optional(z.enum(APPEAL_STATUSES))
});

export const appealSchema = z.object({
	id: z.string(),
	jobId: z.string(),
	jobNo: z.string(),
	technicianName: z.string(),
	subject: z.enum(APPEAL_SUBJECTS),
	flag: z.nullable(z.string()),
	reason: z.string(),
	evidence: z.string(),
	status: z.enum(APPEAL_STATUSES),
	/** ISO 8601 in UTC. */
	createdAt: z.string(),
	decidedByName: z.nullable(z.string()),
	decidedAt: z.nullable(z.string()),
	decisionReason: z.nullable(z.string())
});
export type Appeal = z.infer<typeof appealSchema>;

export const kpiExclusionSchema = z.object({
	kpi: z.enum(EXCLUDABLE_KPIS),
	reason: z.string()
});
export type KpiExclusion = z.infer<typeof kpiExclusionSchema>;

/** One job as its technician sees it for appeals: what may be appealed, and what was. */
export const jobAppealsSchema = z.object({
	jobNo: z.string(),
	/** Job numbers of the reworks that count this job as failed. */
	reworkedBy: z.array(z.string()),
	/** Flags that make the job not clean (not yet accepted by a supervisor). */
	flags: z.array(z.string()),
	exclusions: z.array(kpiExclusionSchema),
	appeals: z.array(appealSchema)
});
export type JobAppeals = z.infer<typeof jobAppealsSchema>;
