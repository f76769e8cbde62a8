/**
 * The service receipt as a PDF made on the server (pdfmake with its embedded Chinese font,
 * server/pdf.ts): the same sections as the print page, A4 portrait, in the reader's language, the
 * customer's signature drawn from its strokes as vector graphics (an svg node), never a picture.
 */
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { m } from '../../paraglide/messages.js';
import type { JobOutcome, JobStatus } from '../../shared/domain';
import { signatureSvg, type ServiceReceipt } from '../../shared/service-receipt';
import { PDF_FONT, pdfmake } from '../pdf';

const GREY = '#4a5568';
/** 12 mm, as the print page's @page margin. */
const MARGIN = 34;

const statusNames: Record<JobStatus, () => string> = {
	open: m.status_open,
	in_progress: m.status_in_progress,
	completed: m.status_completed,
	cancelled: m.status_cancelled
};
const outcomeNames: Record<JobOutcome, () => string> = {
	fixed: m.outcome_fixed,
	not_fixed: m.outcome_not_fixed
};

/** A labelled fact; an empty value reads as "not given". */
function fact(label: string, value: string | null, empty = m.jb_empty()): Content {
	return {
		text: [{ text: `${label}：`, color: GREY }, value || empty],
		margin: [0, 0, 0, 2]
	};
}

function section(title: string, body: Content[]): Content {
	return {
		stack: [{ text: title, bold: true, fontSize: 11, margin: [0, 8, 0, 3] }, ...body],
		unbreakable: true
	};
}

export function receiptDocument(receipt: ServiceReceipt, locale: string): TDocumentDefinitions {
	const money = new Intl.NumberFormat(locale, {
		minimumFractionDigits: 2,
		maximumFractionDigits: 2
	});
	const priced = (amount: string, bold = false): TableCell => ({
		text: money.format(Number(amount)),
		alignment: 'right',
		bold
	});
	const parts: Content =
		receipt.parts.length === 0
			? { text: m.jb_parts_none() }
			: {
					table: {
						headerRows: 1,
						dontBreakRows: true,
						widths: ['*', 80, 40, 64, 64],
						body: [
							[
								m.jb_part(),
								m.rcpt_col_sku(),
								m.rcpt_col_qty(),
								m.rcpt_col_unit_price(),
								m.rcpt_col_line_total()
							].map((text, index): TableCell => ({
								text,
								bold: true,
								alignment: index < 2 ? 'left' : 'right'
							})),
							...receipt.parts.map((part): TableCell[] => [
								part.name,
								part.sku,
								{ text: `${part.qty} ${part.unit}`, alignment: 'right' },
								priced(part.unitPrice),
								priced(part.lineTotal)
							]),
							[
								{ text: m.jb_parts_total(), bold: true, colSpan: 4, alignment: 'right' },
								'',
								'',
								'',
								priced(receipt.partsTotal, true)
							]
						]
					},
					fontSize: 9
				};
	const { signature } = receipt;
	const notRecorded = m.jb_not_recorded();
	return {
		info: { title: m.rcpt_heading({ jobNo: receipt.jobNo }) },
		language: locale,
		pageSize: 'A4',
		pageMargins: [MARGIN, MARGIN, MARGIN, MARGIN],
		defaultStyle: { font: PDF_FONT, fontSize: 10 },
		content: [
			{ text: receipt.station.name, color: GREY },
			{ text: m.rcpt_heading({ jobNo: receipt.jobNo }), fontSize: 16, bold: true },
			{
				text: [
					`${m.job_status()}：${statusNames[receipt.status]()}`,
					receipt.outcome ? ` · ${m.job_outcome()}：${outcomeNames[receipt.outcome]()}` : ''
				],
				margin: [0, 0, 0, 4]
			},
			{
				columns: [
					section(m.jb_section_customer(), [
						fact(m.jb_customer_name(), receipt.customer.name),
						fact(m.jb_customer_phone(), receipt.customer.phone),
						fact(m.jb_customer_address(), receipt.customer.address)
					]),
					section(m.rcpt_section_device(), [
						fact(m.jb_product_model(), receipt.device.model),
						fact(m.jb_device_serial(), receipt.device.serial)
					])
				],
				columnGap: 16
			},
			section(m.rcpt_section_work(), [
				fact(m.jb_fault_category(), receipt.fault.category, m.job_category_none()),
				fact(m.jb_fault_description(), receipt.fault.description),
				fact(m.jb_technician(), receipt.technicianName, notRecorded),
				fact(m.jb_notes(), receipt.notes)
			]),
			section(m.jb_section_parts(), [parts]),
			section(m.jb_section_times(), [
				{ text: m.jb_times_zone({ timeZone: receipt.station.timeZone }), color: GREY, fontSize: 8 },
				{
					columns: [
						fact(m.jb_reported_at(), receipt.times.reported, notRecorded),
						fact(m.jb_arrived_at(), receipt.times.arrived, notRecorded)
					]
				},
				{
					columns: [
						fact(m.jb_started_at(), receipt.times.started, notRecorded),
						fact(m.jb_completed_at(), receipt.times.completed, notRecorded)
					]
				}
			]),
			section(
				m.rcpt_signature(),
				signature === null
					? [{ text: m.rcpt_not_signed() }]
					: [
							{
								svg: signatureSvg(
									signature.strokes,
									m.rcpt_signature_label({ name: signature.signerName })
								),
								width: 220
							},
							{
								text: m.rcpt_signed_by({
									name: signature.signerName,
									time: signature.signedAtClock
								})
							}
						]
			)
		]
	};
}

export function receiptPdf(receipt: ServiceReceipt, locale: string): Promise<Buffer> {
	return pdfmake.createPdf(receiptDocument(receipt, locale)).getBuffer();
}
