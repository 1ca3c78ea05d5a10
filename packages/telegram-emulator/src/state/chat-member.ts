import type { MemberRecord } from './chats.js';

/** https://core.telegram.org/bots/api#chatmember: the object getChatMember returns for a member record. */
export function chatMemberObject(member: MemberRecord): Record<string, unknown> {
  if (member.status === 'administrator') {
    const r = member.rights;
    return {
      user: member.user,
      status: 'administrator',
      can_be_edited: false,
      is_anonymous: false,
      can_manage_chat: true,
      can_delete_messages: r?.can_delete_messages ?? false,
      can_manage_video_chats: true,
      can_restrict_members: true,
      can_promote_members: false,
      can_change_info: true,
      can_invite_users: true,
      can_post_stories: false,
      can_edit_stories: false,
      can_delete_stories: false,
      can_pin_messages: r?.can_pin_messages ?? false,
      can_manage_topics: r?.can_manage_topics ?? false,
    };
  }
  if (member.status === 'creator') return { user: member.user, status: 'creator', is_anonymous: false };
  if (member.status === 'kicked') return { user: member.user, status: 'kicked', until_date: 0 };
  return { user: member.user, status: member.status };
}
