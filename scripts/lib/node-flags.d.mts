export const API_NODE_ARGS: string[];
