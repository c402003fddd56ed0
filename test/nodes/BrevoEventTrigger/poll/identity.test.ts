import {
	canonicalJson,
	eventIdentity,
	IDENTITY_LENGTH,
} from '../../../../nodes/BrevoEventTrigger/poll/identity';

describe('event identity', () => {
	const event = {
		contact_id: 7,
		event_date: '2026-12-03T10:00:00+00:00',
		event_name: 'cart_abandoned',
		event_properties: { cart: { total: 12.5, items: ['a', 'b'] } },
	};

	test('key order at any depth does not change the identity', () => {
		const reordered = {
			event_properties: { cart: { items: ['a', 'b'], total: 12.5 } },
			event_name: 'cart_abandoned',
			event_date: '2026-12-03T10:00:00+00:00',
			contact_id: 7,
		};
		expect(canonicalJson(reordered)).toBe(canonicalJson(event));
		expect(eventIdentity(reordered)).toBe(eventIdentity(event));
	});

	test('any returned field changes it: value, array order, nesting, type', () => {
		const variants = [
			{ ...event, contact_id: 8 },
			{ ...event, event_date: '2026-12-03T10:00:00.001+00:00' },
			{ ...event, event_properties: { cart: { total: 12.5, items: ['b', 'a'] } } },
			{ ...event, event_properties: { cart: { total: '12.5', items: ['a', 'b'] } } },
			{ ...event, object_type: null },
		];
		const ids = new Set([eventIdentity(event), ...variants.map(eventIdentity)]);
		expect(ids.size).toBe(variants.length + 1);
	});

	test('event_filter_id (not documented as stable) is not part of it', () => {
		expect(eventIdentity({ ...event, event_filter_id: 'filter-1' })).toBe(
			eventIdentity({ ...event, event_filter_id: 'filter-2' }),
		);
	});

	test('is short and fixed-length (what static data stores per event)', () => {
		expect(eventIdentity(event)).toMatch(new RegExp(`^[A-Za-z0-9_-]{${IDENTITY_LENGTH}}$`));
	});
});
