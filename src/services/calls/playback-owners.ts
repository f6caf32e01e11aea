import { randomUUID } from 'node:crypto';

/** Which call started which playback, so a PlaybackFinished event finds its way back. */
export class PlaybackOwners {
  private readonly owners = new Map<string, string>();
  private readonly current = new Map<string, string>();

  /** A new playback id for a call; it becomes the call's current playback. */
  begin(callId: string): string {
    const id = `pb-${randomUUID()}`;
    this.owners.set(id, callId);
    this.current.set(callId, id);
    return id;
  }

  /** The call a finished playback belonged to, and whether it was that call's current one. */
  finish(playbackId: string): { callId: string; current: boolean } | null {
    const callId = this.owners.get(playbackId);
    if (!callId) return null;
    this.owners.delete(playbackId);
    const current = this.current.get(callId) === playbackId;
    if (current) this.current.delete(callId);
    return { callId, current };
  }

  currentOf(callId: string): string | undefined {
    return this.current.get(callId);
  }

  forget(callId: string): string[] {
    this.current.delete(callId);
    const ids = [...this.owners].filter(([, c]) => c === callId).map(([id]) => id);
    for (const id of ids) this.owners.delete(id);
    return ids;
  }
}
