import { escapeHtml } from '@/lib/html';
import type { EmulatorMeeting, EmulatorUser } from './state';

/** HTML of the emulated zoom.us pages: consent, pre-approval request, errors, join/start. */

const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f3f5f9;color:#1f2937;margin:0;padding:24px}
  main{max-width:520px;margin:40px auto;background:#fff;border-radius:12px;padding:28px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
  .brand{color:#0b5cff;font-weight:700;font-size:22px;margin-bottom:4px}
  .demo{display:inline-block;background:#fff4d6;color:#8a5a00;border-radius:6px;padding:2px 8px;font-size:12px;margin-bottom:16px}
  h1{font-size:20px;margin:8px 0 12px}
  label.user{display:flex;gap:10px;align-items:center;border:1px solid #e5e7eb;border-radius:8px;padding:10px;margin:8px 0;cursor:pointer}
  .muted{color:#6b7280;font-size:14px}
  .actions{display:flex;gap:12px;margin-top:20px}
  button,a.button{font-size:16px;padding:10px 22px;border-radius:8px;border:1px solid #0b5cff;cursor:pointer;text-decoration:none;display:inline-block}
  .allow{background:#0b5cff;color:#fff}
  .deny{background:#fff;color:#0b5cff}
  ul{padding-left:20px}
`;

function layout(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main><div class="brand">zoom</div><div class="demo">Demo · Aki Zoom emulator</div>${body}</main></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

export function errorPage(title: string, message: string, status = 400): Response {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`, status);
}

const SCOPE_LABELS: Record<string, string> = {
  'user:read:user': 'View your user information',
  'meeting:write:meeting': 'Create meetings for you',
  'meeting:update:meeting': 'Update your meetings',
  'meeting:delete:meeting': 'Delete your meetings',
  'meeting:read:meeting': 'View your meetings',
  'meeting:read:list_meetings': 'List your meetings',
  'meeting:read:past_meeting': 'View your past meetings',
  'meeting:read:list_past_participants': 'View who attended your past meetings',
  'cloud_recording:read:list_recording_files': 'View your cloud recordings',
  'meeting:write:registrant': 'Register people for your meetings',
};

/** The consent page. The form posts every authorize parameter back together with the choice. */
export function consentPage(options: {
  action: string;
  params: Record<string, string>;
  users: EmulatorUser[];
  scopes: string[];
  appName: string;
}): Response {
  const hidden = Object.entries(options.params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const users = options.users
    .map(
      (user, index) =>
        `<label class="user"><input type="radio" name="user_id" value="${escapeHtml(user.id)}"${index === 0 ? ' checked' : ''}><span><strong>${escapeHtml(`${user.firstName} ${user.lastName}`)}</strong><br><span class="muted">${escapeHtml(user.email)}${user.requiresPreApproval ? ' · admin pre-approval required' : ''}</span></span></label>`,
    )
    .join('');
  const scopes = options.scopes.map((scope) => `<li>${escapeHtml(SCOPE_LABELS[scope] ?? scope)}</li>`).join('');
  return layout(
    'Authorize app - Zoom',
    `<h1>${escapeHtml(options.appName)} would like to access your Zoom account</h1>
     <form method="post" action="${escapeHtml(options.action)}">${hidden}
       <p class="muted">Signed in as (choose a demo account):</p>${users}
       <p class="muted">The app will be able to:</p><ul>${scopes}</ul>
       <div class="actions"><button class="allow" type="submit" name="decision" value="allow">Allow</button><button class="deny" type="submit" name="decision" value="deny">Deny</button></div>
     </form>`,
  );
}

/** What Zoom shows instead of consent when the account's admin must pre-approve the app. */
export function preApprovalPage(options: { action: string; params: Record<string, string>; user: EmulatorUser; requested: boolean; appName: string }): Response {
  const hidden = Object.entries(options.params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return layout(
    'App cannot be authorized - Zoom',
    `<h1>You cannot authorize ${escapeHtml(options.appName)}</h1>
     <p>Your Zoom account (${escapeHtml(options.user.email)}) requires your account admin to pre-approve this app before you can use it.</p>
     ${options.requested ? '<p><strong>Requested.</strong> Your admin has been notified. Try again after they pre-approve the app.</p>' : ''}
     <form method="post" action="${escapeHtml(options.action)}">${hidden}<input type="hidden" name="user_id" value="${escapeHtml(options.user.id)}">
       <div class="actions">
         ${options.requested ? '' : '<button class="allow" type="submit" name="decision" value="request_approval">Request Pre-Approval</button>'}
         <button class="deny" type="submit" name="decision" value="back">Back to ${escapeHtml(options.appName)}</button>
       </div>
     </form>`,
  );
}

export function meetingPage(meeting: EmulatorMeeting, role: 'join' | 'start'): Response {
  return layout(
    `${meeting.topic} - Zoom`,
    `<h1>${escapeHtml(meeting.topic)}</h1>
     <p>${role === 'start' ? 'Starting' : 'Joining'} the demo meeting ${escapeHtml(meeting.id.toString())}.</p>
     <p class="muted">${escapeHtml(meeting.startTime)} · ${meeting.duration} min · ${escapeHtml(meeting.timezone)}</p>
     <p class="muted">This is Aki's Zoom emulator: no real meeting takes place.</p>`,
  );
}

/** A cloud recording's play or share page (Zoom asks for the passcode there; the emulator only shows what it is). */
export function recordingPage(title: string, lines: string[]): Response {
  return layout(title, `<h1>${escapeHtml(title)}</h1><ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`);
}
