/**
 * The customer's survey answer as the public page sends it (survey/service.ts). Apart from
 * schemas.ts, which every page loads: only the survey page and the server need it.
 */
import { z } from 'zod/mini';
import { trimmed } from './schemas';

export const SURVEY_COMMENT_MAX = 500;

export const surveyAnswerSchema = z.strictObject({
	satisfaction: z.coerce.number().check(z.int(), z.gte(1), z.lte(5)),
	issueResolved: z.enum(['yes', 'no']),
	comment: z._default(trimmed(SURVEY_COMMENT_MAX), '')
});
export type SurveyAnswerInput = z.input<typeof surveyAnswerSchema>;
