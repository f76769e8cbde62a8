/**
 * pdfmake (on PDFKit) as every PDF made on the server uses it: the monthly report
 * (review/monthly-report-pdf.ts) and the service receipt (jobs/receipt-pdf.ts).
 *
 * Chinese needs a font with its glyphs, and a server cannot be trusted to have one (a fresh
 * Debian has none: `fc-list :lang=zh` is empty). So each PDF carries its own: Noto Sans SC (the
 * "Noto Sans Hans" OpenType/CFF files of the npm package @embedpdf/fonts-sc, SIL OFL 1.1,
 * 30 789 characters), embedded as a subset of the glyphs the document uses (PDFKit subsets every
 * embedded font), so a document weighs tens of kilobytes, not the font's 8 MB. Server only: the
 * fonts and pdfmake never reach a browser (docs/monthly-report.md).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake from 'pdfmake';

export const PDF_FONT = 'NotoSansSC';
const FONT_DIR = path.join(
	path.dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')),
	'..',
	'fonts'
);
const REGULAR = path.join(FONT_DIR, 'NotoSansHans-Regular.otf');
const BOLD = path.join(FONT_DIR, 'NotoSansHans-Bold.otf');

pdfmake.setFonts({
	[PDF_FONT]: { normal: REGULAR, bold: BOLD, italics: REGULAR, bolditalics: BOLD }
});
// Documents are built from data, never from a URL or a file a user names: the fonts are the
// only files they may read, and they fetch nothing.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((file) => file === REGULAR || file === BOLD);

export { pdfmake };
