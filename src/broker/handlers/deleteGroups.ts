import { DeleteGroups } from '../protocol/messages/deleteGroups.js';
import { defineHandler } from './handler.js';

/**
 * DeleteGroups v0-1: deletes groups without members, with their committed offsets (durably).
 * A group with members answers NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
 */
export const deleteGroupsHandler = defineHandler(DeleteGroups, (request, ctx) => ({
  throttleTimeMs: 0,
  results: ctx.broker.groups.deleteGroups(request.groupsNames),
}));
