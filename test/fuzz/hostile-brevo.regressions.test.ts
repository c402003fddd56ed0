import { captureN8nLogs } from './captured-logs';
import { startHostileBrevo, type Answer, type HostileBrevo } from './hostile-brevo';
import {
	playRound,
	violations,
	type ExecutionPlan,
	type Invariant,
	type RoundPlan,
	type RoundReport,
	type Violation,
} from './rounds';

/**
 * Rounds the fuzz test found (shrunk by hand to what matters), replayed as they are: each names
 * the finding of issue 17 it showed and the invariant it broke before that finding was fixed.
 */
describe('regressions: hostile-Brevo rounds that broke an invariant', () => {
	// A trickled answer took 4 s before finding 8's fix; a timeout must never pass for an it.failing.
	jest.setTimeout(30_000);
	let server: HostileBrevo;
	const logs = captureN8nLogs();
	// Round numbers of their own, away from the fuzz rounds' (a new Base URL = a new account).
	let round = 1_000;
	beforeAll(async () => (server = await startHostileBrevo()));
	afterAll(async () => await server?.stop());

	const execution = (plan: Partial<ExecutionPlan>): ExecutionPlan => ({
		mode: 'single',
		items: 2,
		retryOnFail: null,
		onError: 'continueRegularOutput',
		retryServerErrors: false,
		perTryDate: false,
		requestsPerSecond: 100,
		answers: [{ kind: 'ok' }],
		...plan,
	});
	const ok: Answer = { kind: 'ok' };
	const refused: Answer = { kind: 'error', status: 400 };
	/** Item k meets answers[3k + send] (rounds.ts): here item 0 meets `first`, all others ok. */
	const item0Meets = (first: Answer): Answer[] => [first, ...Array(29).fill(ok)];
	/** Item 1 refused on its first send (Stop Workflow: n8n retries the node), then accepted. */
	const item1RefusedOnce: Answer[] = [ok, ok, ok, refused, ok, ok];

	// An it.failing also "passes" when its round could not be played: the last test says if so.
	const harnessErrors: unknown[] = [];
	const replay = (invariant: Invariant | Invariant[], plan: RoundPlan) => async () => {
		let report: RoundReport;
		let all: Violation[];
		try {
			report = await playRound(server, round++, plan, logs);
			all = violations(report);
		} catch (error) {
			harnessErrors.push(error);
			throw error;
		}
		const found = all.filter((v) => [invariant].flat().includes(v.invariant));
		expect(found.map((v) => v.what)).toEqual([]);
	};

	// Finding 1 (fixed): 21+ executions at once with Retry On Fail evicted each other's memory of
	// confirmed items, so a retry sent item 0 again.
	it(
		'finding 1: 25 executions at once, Retry On Fail, item 1 refused once: item 0 stored once',
		replay('nothing stored twice', {
			executions: Array.from({ length: 25 }, () =>
				execution({
					onError: 'stopWorkflow',
					retryOnFail: { maxTries: 2, waitBetweenTries: 100 },
					answers: item1RefusedOnce,
				}),
			),
		}),
	);

	// Finding 3 (fixed): an Event Date of {{ $now }} changed the event on each try, so the memory
	// of what Brevo confirmed no longer recognised it.
	it(
		'finding 3: Event Date {{ $now }} with Retry On Fail: item 0 stored once',
		replay('nothing stored twice', {
			executions: [
				execution({
					onError: 'stopWorkflow',
					perTryDate: true,
					retryOnFail: { maxTries: 2, waitBetweenTries: 100 },
					answers: item1RefusedOnce,
				}),
			],
		}),
	);

	// Finding 4 (fixed): after Brevo refused item 0 under Stop Workflow, the requests already
	// queued behind the pacing still went out, and the error did not say which items were stored.
	it(
		'finding 4: Stop Workflow at 3 requests/s: nothing leaves after the refusal of item 0',
		replay('no request leaves after a stop', {
			executions: [
				execution({
					onError: 'stopWorkflow',
					items: 6,
					requestsPerSecond: 3,
					answers: item0Meets(refused),
				}),
			],
		}),
	);

	it(
		'finding 4: Stop Workflow after items 0–4 were stored: the error names them',
		replay('a stopped run names the items Brevo took', {
			executions: [
				execution({
					onError: 'stopWorkflow',
					items: 6,
					// Item 5 refused: [3·5 mod 16] = answers[15].
					answers: [...Array(15).fill(ok), refused],
				}),
			],
		}),
	);

	// Finding 5 (fixed): a Timeout above ~24.8 days became 1 ms in Node's timers: the request was
	// aborted at once and sent again, and the server stored the event 3 times.
	it('finding 5: a Timeout of 30 days: the event is stored at most once', async () => {
		const played = round;
		await replay([], {
			executions: [
				execution({
					items: 1,
					retryServerErrors: true,
					timeoutS: 30 * 24 * 3600,
					answers: item0Meets({ kind: 'delay', ms: 150 }),
				}),
			],
		})();
		const stores = server.of(`/r${played}`).filter((x) => x.stored.includes(`r${played}e0i0`));
		expect(stores.length).toBeLessThanOrEqual(1);
	});

	// Finding 6 (fixed): an absurd x-sib-ratelimit-reset poisoned the account for every later
	// execution; Retry-After was ignored.
	it.each(['1e20', '31536000'] as const)(
		'finding 6: a 204 with remaining 0 and reset %s: the next execution succeeds',
		(reset) =>
			replay('the next execution is unaffected', {
				executions: [execution({ items: 1, answers: [{ kind: 'okLastSlot', reset }] })],
			})(),
	);

	it(
		'finding 6: a 429 with reset 1e20 under Stop Workflow: the error names the item',
		replay('one output item per input item', {
			executions: [
				execution({
					items: 1,
					onError: 'stopWorkflow',
					answers: [{ kind: 'tooMany', reset: '1e20' }],
				}),
			],
		}),
	);

	it(
		'finding 6: a 429 with Retry-After: 1 and a reset of -5: retried 1 s later, not sooner',
		replay('Retry-After is honoured', {
			executions: [
				execution({
					items: 1,
					answers: item0Meets({ kind: 'tooMany', reset: '-5', retryAfter: 1 }),
				}),
			],
		}),
	);

	// Finding 7 (fixed): a batch answer's counts were not cross-checked with what was sent.
	it.each([
		{ kind: 'count', count: 'short' },
		{ kind: 'partial', variant: 'failedMoreThanListed', mask: 1 },
		{ kind: 'partial', variant: 'noErrorsAllFailed', mask: 1 },
		{ kind: 'partial', variant: 'indexRepeated', mask: 1 },
	] as Answer[])(
		'finding 7: batch answer %j: no event the server did not take is reported queued',
		(answer) =>
			replay('nothing reported taken that the server did not take', {
				executions: [execution({ mode: 'batch', items: 4, answers: [answer] })],
			})(),
	);

	// Finding 8 (fixed): Timeout was an idle timeout, so a body trickled a byte at a time held the
	// request.
	it.each(['single', 'batch'] as const)(
		'finding 8: an answer trickled a byte every 100 ms in %s mode is cut at the Timeout',
		(mode) =>
			replay('every run ends within its bound', {
				executions: [execution({ mode, items: 1, answers: [{ kind: 'trickle', everyMs: 100 }] })],
			})(),
	);

	// Invariant 10 (fixed): a window answered full on every success (remaining 0) slowed the pacer
	// toward 0.1 request/s, bounded by no setting: 80 items took minutes. Now the pacer's hold
	// counts against Max Rate-Limit Wait (2 s here): each item is sent or fails saying so in time.
	it(
		'invariant 10: every success says remaining 0 (reset 1): 80 items end within the bound',
		replay(['every run ends within its bound', 'one output item per input item'], {
			executions: [execution({ items: 80, answers: [{ kind: 'okLastSlot', reset: '1' }] })],
		}),
		60_000,
	);

	// What holds today and must keep holding: a redirect reaches nothing, the key stays secret.
	it.each([301, 302, 307] as const)('a %i redirect: nothing reaches the other server', (status) =>
		replay(['nothing reaches another server', 'no API key in any output, error or log'], {
			executions: [execution({ answers: [{ kind: 'redirect', status }] })],
		})(),
	);

	it('plays every round above to the end', () => {
		expect(harnessErrors).toEqual([]);
	});
});
