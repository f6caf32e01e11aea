/** Request bodies of the case and work-order routes (zod): what the pages may send, nothing more. */
import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/work-orders/order-types.ts';

const Text = z.string().max(2000);
const Grade = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const Area = z.object({ city: z.string().min(1).max(50), county: z.string().min(1).max(50).nullable() }).strict();
const Consent = z.object({ followUpCall: z.boolean(), centreContact: z.boolean() }).strict();

/** The wrap-up form as typed so far (every field optional; the domain decides what a save needs). */
export const CaseDraftBody = z
  .object({
    categories: z.array(z.string().min(1).max(100)).max(20).optional(),
    grade: Grade.optional(),
    summary: z.string().max(5000).optional(),
    area: Area.nullable().optional(),
    consent: Consent.optional(),
    orderRequested: z.boolean().optional(),
  })
  .strict();

export const SubmitCaseBody = z
  .object({
    /** Made once per form by the page (e.g. a UUID): a retry or double click sends the same. */
    idempotencyKey: z.string().min(8).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : -'),
    form: CaseDraftBody,
  })
  .strict();

/** `?status=draft&limit=50` (counsellorId for supervisors). */
export const CaseListQuery = z
  .object({
    status: z.enum(['draft', 'saved']).optional(),
    counsellorId: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const EraseCallerBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

const Version = { version: z.number().int().min(1).optional() };
const CentreId = z.string().min(1).max(100);

export const PlatformActionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dispatch'), centreId: CentreId, reason: Text.optional(), ...Version }).strict(),
  z.object({ type: z.literal('redispatch'), centreId: CentreId, reason: Text, ...Version }).strict(),
  z.object({ type: z.literal('approve-reply'), ...Version }).strict(),
  z.object({ type: z.literal('send-back'), reason: Text, ...Version }).strict(),
  z.object({ type: z.literal('record-follow-up'), outcome: z.enum(['resolved', 'not-resolved', 'unreachable', 'declined']), note: Text, ...Version }).strict(),
  z.object({ type: z.literal('close'), reason: Text, ...Version }).strict(),
  z.object({ type: z.literal('reopen'), reason: Text, ...Version }).strict(),
  z.object({ type: z.literal('discard'), reason: Text, ...Version }).strict(),
]);

export const CentreActionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accept'), ...Version }).strict(),
  z.object({ type: z.literal('progress'), note: Text, ...Version }).strict(),
  z.object({ type: z.literal('reply'), result: Text, ...Version }).strict(),
  z.object({ type: z.literal('return'), reason: Text, ...Version }).strict(),
]);

/** `?status=dispatched,accepted&limit=100` (centreId for supervisors). */
export const OrderListQuery = z
  .object({
    status: z
      .string()
      .max(300)
      .transform((v) => v.split(',').filter((s) => s.length > 0))
      .pipe(z.array(z.enum(ORDER_STATUSES)).min(1))
      .optional(),
    centreId: CentreId.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
