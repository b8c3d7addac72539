/** zeebe:* extension elements of a moddle element, by type. */
function extensions(node, type) {
  const values = (node.extensionElements && node.extensionElements.values) || [];
  return values.filter((value) => value.$type === type);
}

/** A FEEL expression (`=…`) is worked out when the process runs; a rule cannot judge it. */
function isExpression(value) {
  return typeof value === 'string' && value.trim().startsWith('=');
}

/** The name a person sees, for messages: "Task_X (اسم)". */
function describe(node) {
  return node.name ? `${node.id} (${node.name})` : node.id;
}

module.exports = { extensions, isExpression, describe };
