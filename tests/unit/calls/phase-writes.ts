import path from 'node:path';
import ts from 'typescript';

/** A place in the code that gives a live call a phase. */
export interface PhaseWrite {
  file: string;
  line: number;
  text: string;
}

/** A live call, by shape: it survives aliases, spreads and `Pick`s of LiveCall that a name check would miss. */
const LIVE_CALL_KEYS = ['phase', 'callId', 'channelId', 'extraChannels'];

function isLiveCallLike(type: ts.Type | undefined, checker: ts.TypeChecker): boolean {
  if (!type) return false;
  const types = type.isUnion() || type.isIntersection() ? type.types : [type];
  return types.some((t) => {
    const named = (t.aliasSymbol ?? t.getSymbol())?.getName() === 'LiveCall';
    return named || LIVE_CALL_KEYS.every((k) => checker.getPropertyOfType(t, k) !== undefined);
  });
}

const isPhaseName = (n: ts.Node) =>
  (ts.isPropertyAccessExpression(n) && n.name.text === 'phase') ||
  (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === 'phase');

const hasPhaseProperty = (o: ts.ObjectLiteralExpression) =>
  o.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
    (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text === 'phase');

/**
 * Every write of a live call's phase in `files`: `call.phase = …` (any assignment operator) or
 * `delete call.phase`, an object literal with `phase` that becomes a live call (by its contextual
 * type or its own shape), and `Object.assign(call, { phase })`.
 */
export function findPhaseWrites(program: ts.Program, files: readonly string[]): PhaseWrite[] {
  const checker = program.getTypeChecker();
  const found: PhaseWrite[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`not in the program: ${file}`);
    const report = (node: ts.Node) => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push({ file, line: line + 1, text: node.getText(source).slice(0, 120) });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        const target = node.left;
        if (isPhaseName(target) && isLiveCallLike(checker.getTypeAtLocation((target as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression), checker)) report(node);
      } else if (ts.isDeleteExpression(node) && isPhaseName(node.expression)) {
        report(node);
      } else if (ts.isObjectLiteralExpression(node) && hasPhaseProperty(node)) {
        if (isLiveCallLike(checker.getContextualType(node), checker) || isLiveCallLike(checker.getTypeAtLocation(node), checker)) report(node);
      } else if (
        ts.isCallExpression(node) && node.expression.getText(source) === 'Object.assign' && node.arguments.length > 1 &&
        isLiveCallLike(checker.getTypeAtLocation(node.arguments[0] as ts.Expression), checker) &&
        node.arguments.slice(1).some((a) => ts.isObjectLiteralExpression(a) && hasPhaseProperty(a))
      ) {
        report(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** The project's program (tsconfig.json) and its files under `src/`. */
export function projectProgram(root: string): { program: ts.Program; srcFiles: string[] } {
  const configPath = path.join(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const srcDir = path.join(root, 'src') + path.sep;
  const srcFiles = parsed.fileNames.filter((f) => path.resolve(f).startsWith(srcDir) && !f.endsWith('.d.ts'));
  return { program: ts.createProgram(srcFiles, parsed.options), srcFiles };
}
