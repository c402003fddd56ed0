import type { IExecuteFunctions } from 'n8n-workflow';

import type { FailureFacts } from '../output/errors';

/**
 * The tally of a Create run — events stored, queued, refused and why — shown afterwards as an
 * execution hint above the node's output and written to n8n's log, so that a bulk send of 100,000
 * items can be judged without reading 100,000 output items.
 */

const count = (n: number) => n.toLocaleString('en-US');

/** Distinct reasons kept: further ones are counted together, so memory stays bounded. */
const MAX_REASONS = 50;
/** Reasons named in the summary, largest first; the rest are counted in one clause. */
const SHOWN_REASONS = 5;
/** Longest reason shown. */
const MAX_REASON_CHARS = 160;
/** Longest summary (execution hint and log line), whatever was refused and why. */
export const MAX_SUMMARY_CHARS = 1_500;

/**
 * A reason as a group name: the details that differ from item to item (email addresses, dates,
 * quoted values, long numbers, indexes) become placeholders, so 5,000 items refused for the same
 * reason make one group, not 5,000.
 */
export function normalizedReason(text: string): string {
	// Cut first: a reason is a short sentence, and the patterns below then cost little per item.
	const short = text.slice(0, 2 * MAX_REASON_CHARS).replace(/ \[item \d+\]$/, '');
	const reason = (
		short.includes('@')
			? short.replace(/[\w.+-]{1,64}@[\w-]{1,63}(\.[\w-]{1,63})+/g, '<email>')
			: short
	)
		.replace(/\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?/g, '<date>')
		.replace(/"[^"]{0,200}"|'[^']{0,200}'/g, '"…"')
		.replace(
			/\b(items?|index(es)?|events?|eventIndex)\b(\s*[#:]?\s*)\d+(\s*(,|–|-|and)\s*\d+)*/gi,
			'$1$3N',
		)
		.replace(/\[\d+\]/g, '[N]')
		.replace(/\d{4,}/g, 'N');
	return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
}

export class Outcomes {
	private stored = 0;

	private queued = 0;

	private refused = 0;

	private readonly byReason = new Map<string, { count: number; firstItem: number }>();

	/** Refusals whose reason came after MAX_REASONS others. */
	private otherReasons = { count: 0, firstItem: Infinity };

	constructor(private readonly itemCount: number) {}

	succeeded(status: 'stored' | 'queued'): void {
		if (status === 'stored') this.stored++;
		else this.queued++;
	}

	/** `reason` (e.g. "Invalid Contact Properties › AGE") groups it; without one, its message does. */
	failed(itemIndex: number, error: Error & FailureFacts): void {
		this.refused++;
		// Errors without a reason are grouped by message, its per-item details made placeholders.
		const reason = normalizedReason(error.reason ?? error.message);
		const group =
			this.byReason.get(reason) ??
			(this.byReason.size < MAX_REASONS ? { count: 0, firstItem: itemIndex } : this.otherReasons);
		if (group.count === 0 && group !== this.otherReasons) this.byReason.set(reason, group);
		group.count++;
		group.firstItem = Math.min(group.firstItem, itemIndex);
	}

	/** Events Brevo took, stored or queued. */
	get accepted(): number {
		return this.stored + this.queued;
	}

	/**
	 * E.g. "10,000 items: 9,995 queued by Brevo (processed later), 5 refused. Refused: 3 × Invalid
	 * Contact Properties › AGE (first: item 17); 2 × Brevo rejected the event: … (first: item 401)."
	 */
	text(): string {
		const parts: string[] = [];
		if (this.stored > 0) parts.push(`${count(this.stored)} stored by Brevo`);
		if (this.queued > 0) parts.push(`${count(this.queued)} queued by Brevo (processed later)`);
		if (this.refused > 0) parts.push(`${count(this.refused)} refused`);
		const notSent = this.itemCount - this.accepted - this.refused;
		if (notSent > 0) parts.push(`${count(notSent)} not sent (the node stopped at an error)`);
		const events = this.itemCount === 1 ? 'item' : 'items';
		let text = `${count(this.itemCount)} ${events}: ${parts.join(', ') || 'nothing sent'}.`;
		if (this.byReason.size > 0) {
			const groups = [...this.byReason.entries()].sort((a, b) => b[1].count - a[1].count);
			const shown = groups
				.slice(0, SHOWN_REASONS)
				.map(([reason, g]) => `${count(g.count)} × ${reason} (first: item ${g.firstItem})`);
			const rest = groups.slice(SHOWN_REASONS).map(([, g]) => g);
			if (this.otherReasons.count > 0) rest.push(this.otherReasons);
			if (rest.length > 0) {
				const items = rest.reduce((sum, g) => sum + g.count, 0);
				const first = Math.min(...rest.map((g) => g.firstItem));
				shown.push(`${count(items)} for other reasons (first: item ${first})`);
			}
			text += ` Refused: ${shown.join('; ')}.`;
		}
		if (text.length > MAX_SUMMARY_CHARS) text = `${text.slice(0, MAX_SUMMARY_CHARS - 1)}…`;
		return text;
	}

	/** Shows the tally above the node's output (an execution hint) and in n8n's log. */
	report(ctx: IExecuteFunctions): void {
		const message = this.text();
		// Optional calls: n8n versions and test contexts without these still run the node.
		ctx.addExecutionHints?.({
			message: `Brevo Event: ${message}`,
			type: this.refused > 0 ? 'warning' : 'info',
			location: 'outputPane',
		});
		ctx.logger?.info(`Brevo Event: ${message}`, {
			items: this.itemCount,
			stored: this.stored,
			queued: this.queued,
			refused: this.refused,
		});
	}
}
