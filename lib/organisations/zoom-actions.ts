'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import type { MeetingDefaults } from '@/lib/db/schema/organisations';
import {
  type CreateZoomUserResult,
  chooseMemberZoomUser,
  createMemberZoomUser,
  type MemberMapping,
  mapAllMembers,
  requireZoomAdmin,
  saveMeetingDefaults,
  saveOrganisationZoomCredentials,
  setDefaultZoomUser,
  type TestConnectionResult,
  testOrganisationZoom,
} from './zoom-admin';

/**
 * Server actions of Organisation → Zoom. Each authorises the signed-in host as an owner or admin of
 * their own organisation (a member, or anyone else, gets not_found) and works on that organisation
 * only: no organisation id ever comes from the browser.
 */

const ZOOM_ADMIN_PATH = '/organisation/zoom';

async function admin() {
  const host = await requireHost();
  const db = await getDb();
  const org = await requireZoomAdmin(host.id, db);
  return { db, organisationId: org.organisationId };
}

export async function saveZoomCredentialsAction(values: unknown): Promise<ActionResult<{ test: TestConnectionResult; mapped: number }>> {
  return runAction('saveZoomCredentialsAction', async () => {
    const { db, organisationId } = await admin();
    const result = await saveOrganisationZoomCredentials(db, organisationId, values);
    revalidatePath(ZOOM_ADMIN_PATH);
    return result;
  });
}

export async function testZoomConnectionAction(): Promise<ActionResult<TestConnectionResult>> {
  return runAction('testZoomConnectionAction', async () => {
    const { db, organisationId } = await admin();
    const result = await testOrganisationZoom(db, organisationId);
    revalidatePath(ZOOM_ADMIN_PATH);
    return result;
  });
}

export async function mapAllMembersAction(): Promise<ActionResult<{ mapped: number }>> {
  return runAction('mapAllMembersAction', async () => {
    const { db, organisationId } = await admin();
    const mapped = await mapAllMembers(db, organisationId);
    revalidatePath(ZOOM_ADMIN_PATH);
    return { mapped };
  });
}

export async function chooseMemberZoomUserAction(userId: string, zoomUserId: string): Promise<ActionResult<MemberMapping | null>> {
  return runAction('chooseMemberZoomUserAction', async () => {
    const { db, organisationId } = await admin();
    const result = await chooseMemberZoomUser(db, organisationId, String(userId), String(zoomUserId ?? ''));
    revalidatePath(ZOOM_ADMIN_PATH);
    return result;
  });
}

export async function createMemberZoomUserAction(userId: string): Promise<ActionResult<CreateZoomUserResult>> {
  return runAction('createMemberZoomUserAction', async () => {
    const { db, organisationId } = await admin();
    const result = await createMemberZoomUser(db, organisationId, String(userId));
    revalidatePath(ZOOM_ADMIN_PATH);
    return result;
  });
}

export async function setDefaultZoomUserAction(zoomUserId: string): Promise<ActionResult<{ id: string; email: string } | null>> {
  return runAction('setDefaultZoomUserAction', async () => {
    const { db, organisationId } = await admin();
    const result = await setDefaultZoomUser(db, organisationId, String(zoomUserId ?? ''));
    revalidatePath(ZOOM_ADMIN_PATH);
    return result;
  });
}

export async function saveMeetingDefaultsAction(values: unknown): Promise<ActionResult<MeetingDefaults>> {
  return runAction('saveMeetingDefaultsAction', async () => {
    const { db, organisationId } = await admin();
    const result = await saveMeetingDefaults(db, organisationId, values);
    revalidatePath(ZOOM_ADMIN_PATH);
    return result;
  });
}
