import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { LANGUAGES } from '../domain/calls/routing-request.ts';

/**
 * The roster: counsellors (who take calls) and staff (supervisors, admins) who sign in to
 * the web pages. Passwords are never here: they come from the secrets file.
 */

const sipUser = z.string().regex(/^[0-9]{3,8}$/, 'must be 3 to 8 digits');
const level = z.enum(['province', 'city', 'county']);

export const counsellorSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]+$/i),
  name: z.string().min(1),
  sipUser,
  skills: z.array(z.string().min(1)).default([]),
  languages: z.array(z.enum(LANGUAGES)).min(1),
  team: z.string().min(1),
  level,
});

export const staffSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]+$/i),
  name: z.string().min(1),
  role: z.enum(['supervisor', 'admin']),
  team: z.string().min(1),
  level,
  /** The supervisor's own phone, used to listen in, whisper and barge. */
  sipUser: sipUser.optional(),
});

export const rosterSchema = z
  .object({ counsellors: z.array(counsellorSchema), staff: z.array(staffSchema).default([]) })
  .superRefine((r, ctx) => {
    const ids = new Set<string>();
    const sip = new Set<string>();
    [...r.counsellors, ...r.staff].forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `duplicate id ${p.id}` });
      ids.add(p.id);
      if (p.sipUser) {
        if (sip.has(p.sipUser)) ctx.addIssue({ code: 'custom', path: ['people', i, 'sipUser'], message: `duplicate sipUser ${p.sipUser}` });
        sip.add(p.sipUser);
      }
    });
  });

export type Roster = z.infer<typeof rosterSchema>;
export type RosterCounsellor = z.infer<typeof counsellorSchema>;
export type RosterStaff = z.infer<typeof staffSchema>;

export function parseRoster(raw: unknown, source = 'roster'): Roster {
  const parsed = rosterSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${source}: ${i.path.join('.')} ${i.message}`);
  throw new Error(issues.join('\n'));
}

export function loadRoster(path: string): Roster {
  return parseRoster(parse(readFileSync(path, 'utf8')), path);
}

/** Both SIP identities of a person: a plain SIP phone account and a WebRTC one for the browser. */
export function sipIdentities(user: string): { phone: string; web: string } {
  return { phone: user, web: `web${user}` };
}
