"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hello = void 0;
const hello = () => "hi";
exports.hello = hello;
//# sourceMappingURL=index.js.map