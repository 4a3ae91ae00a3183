import { describe, expect, it } from "vitest";

import { parseRequest, requestProblem } from "../../src/requestInput";

describe("parseRequest", () => {
  const cases: [string, ReturnType<typeof parseRequest>][] = [
    ["GET /", { method: "GET", path: "/", headers: [] }],
    ["get", { method: "GET", path: "/", headers: [] }],
    ["POST /echo | hello world", { method: "POST", path: "/echo", headers: [], body: "hello world" }],
    [
      'PUT /items?id=3; content-type: application/json; x-a: 1 | {"a": 1}',
      {
        method: "PUT",
        path: "/items?id=3",
        headers: [
          ["content-type", "application/json"],
          ["x-a", "1"],
        ],
        body: '{"a": 1}',
      },
    ],
    ["POST /x |  two  spaces ", { method: "POST", path: "/x", headers: [], body: " two  spaces " }],
    ["", "write a method and a path, e.g. GET /"],
    ["GET items", "the path `items` must start with /"],
    ["G3T /", "`G3T` is not an HTTP method (GET, POST, PUT, DELETE, …)"],
    ["GET / extra", "unexpected `extra`: headers come after `;`, the body after ` | `"],
    ["GET /; no-colon", "the header `no-colon` is not `name: value`"],
  ];
  for (const [line, expected] of cases) {
    it(JSON.stringify(line), () => {
      expect(parseRequest(line)).toEqual(expected);
    });
  }
  it("a problem is what the box shows", () => {
    expect(requestProblem("GET /")).toBeUndefined();
    expect(requestProblem("GET x")).toBe("the path `x` must start with /");
  });
});
