// "No IP was ever held twice" (issue #15): replays a watch history — Service and IPAddress
// events in resourceVersion order, from cluster.watch() or a watch stream over HTTP — and
// answers every moment at which two live Services held the same IP, an IPAddress was added
// while one of that IP was live, or an IPAddress named one Service while another held its IP.
// Shared by tests/node and tests/realclients.

const parentOf = (ip) => {
  const p = ip.spec?.parentRef;
  return p && p.resource === 'services' ? `${p.namespace}/${p.name}` : '';
};

export function ipsHeldTwice(events) {
  const services = new Map(); // namespace/name -> its ClusterIPs
  const addresses = new Map(); // IP -> namespace/name of its parent Service
  const problems = [];
  let checked = 0;
  for (const { type, object: o } of events) {
    const rv = o.metadata.resourceVersion;
    if (o.kind === 'Service') {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      if (type === 'DELETED') services.delete(key);
      else services.set(key, (o.spec.clusterIPs ?? []).filter((ip) => ip && ip !== 'None'));
    } else if (o.kind === 'IPAddress') {
      const ip = o.metadata.name;
      if (type === 'DELETED') addresses.delete(ip);
      else {
        if (type === 'ADDED' && addresses.has(ip)) problems.push(`rv ${rv}: IPAddress ${ip} added while one was live`);
        addresses.set(ip, parentOf(o));
      }
    } else {
      continue;
    }
    checked += 1;
    const holder = new Map();
    for (const [key, ips] of services) {
      for (const ip of ips) {
        if (holder.has(ip)) problems.push(`rv ${rv}: ${ip} held by ${holder.get(ip)} and ${key}`);
        holder.set(ip, key);
      }
    }
    for (const [ip, parent] of addresses) {
      const h = holder.get(ip);
      if (h && parent && h !== parent) problems.push(`rv ${rv}: IPAddress ${ip} names ${parent} while ${h} holds it`);
    }
  }
  return { problems, checked };
}
