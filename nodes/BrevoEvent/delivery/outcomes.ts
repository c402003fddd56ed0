import type { IExecuteFunctions } from 'n8n-workflow';

import type { FailureFacts } from '../output/errors';

/**
 * The tally of a Create run — events stored, queued, refused and why — shown afterwards as an
 * execution hint above the node's output and written to n8n's log, so that a bulk send of 100,000
 * items can be judged without reading 100,000 output items.
 */

const count = (n: number) => n.toLocaleString('en-US');

export class Outcomes {
	private stored = 0;

	private queued = 0;

	private refused = 0;

	private readonly byReason = new Map<string, { count: number; firstItem: number }>();

	constructor(private readonly itemCount: number) {}

	succeeded(status: 'stored' | 'queued'): void {
		if (status === 'stored') this.stored++;
		else this.queued++;
	}

	/** `reason` (e.g. "Invalid Contact Properties › AGE") groups it; without one, its message does. */
	failed(itemIndex: number, error: Error & FailureFacts): void {
		this.refused++;
		// Errors without a reason are grouped by message, without n8n's "[item N]" suffix.
		const reason = error.reason ?? error.message.replace(/ \[item \d+\]$/, '');
		const group = this.byReason.get(reason);
		if (group) {
			group.count++;
			group.firstItem = Math.min(group.firstItem, itemIndex);
		} else {
			this.byReason.set(reason, { count: 1, firstItem: itemIndex });
		}
	}

	/** Events Brevo took, stored or queued. */
	get accepted(): number {
		return this.stored + this.queued;
	}

	/**
	 * E.g. "10,000 items: 9,995 events queued by Brevo (processed later), 5 refused: 3 × Invalid
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
			const groups = [...this.byReason.entries()]
				.sort((a, b) => b[1].count - a[1].count)
				.map(([reason, g]) => `${count(g.count)} × ${reason} (first: item ${g.firstItem})`);
			text += ` Refused: ${groups.join('; ')}.`;
		}
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
