import type { Api } from 'grammy';

/** The rights each bot needs in the staff forum (issue 14): topics, the pinned card, deletions. */
export const FORUM_REQUIRED_RIGHTS = ['can_manage_topics', 'can_pin_messages', 'can_delete_messages'] as const;

/**
 * Checks that the staff chat is a forum and that each bot is an administrator there with the
 * rights above. Returns one readable line per problem (empty: all good), naming the bot and the
 * missing right, so the operator knows exactly what to change in the group settings. One check
 * for the support bot's start (it refuses to start) and `pnpm ops:check` (it prints the lines).
 */
export async function checkForumRights(api: Api, chatId: number, bots: { name: string; id: number }[]): Promise<string[]> {
  const problems: string[] = [];
  const chat = await api.getChat(chatId);
  if (chat.type !== 'supergroup' || !('is_forum' in chat) || !chat.is_forum) {
    return [`SUPPORT_CHAT_ID ${chatId} is not a forum supergroup: turn on Topics in the group settings`];
  }
  for (const bot of bots) {
    const member = await api.getChatMember(chatId, bot.id);
    if (member.status === 'creator') continue;
    if (member.status !== 'administrator') {
      problems.push(`${bot.name} is not an administrator of the staff forum (status: ${member.status})`);
      continue;
    }
    for (const right of FORUM_REQUIRED_RIGHTS) {
      if (!member[right]) problems.push(`${bot.name} lacks the administrator right ${right} in the staff forum`);
    }
  }
  return problems;
}
