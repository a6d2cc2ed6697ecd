package io.tombscope.agent.it;

import com.sun.tools.attach.VirtualMachine;
import gnu.trove.map.hash.TLongLongHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap;

/**
 * Loads an Eclipse Collections, a Trove and a fastutil map class before any agent runs, then
 * attaches the agent to itself ({@code args[0]}: the agent jar, {@code args[1]}: its options,
 * {@code args[2]}: the recording directory). The classes are retransformed and cannot gain the
 * recorder's field, so the maps built after the attach are found by the lookup: each puts {@value
 * #KEYS} keys, removes {@value #HITS} of them and {@value #MISSES} absent ones, and the program
 * prints, after a few idle recording intervals, {@code PHASE attached <map> <idleUntilEpochMs>
 * deleteHits=…,deleteMisses=…} for each.
 */
public final class LibraryAttachProgram {
  static final int KEYS = 1_000;
  static final int HITS = 400;
  static final int MISSES = 100;
  private static final long IDLE_MILLIS = 1_500;
  private static final long GIVE_UP_MILLIS = 60_000;

  public static void main(String[] args) throws Exception {
    // Loaded, and used, before the agent.
    new LongLongHashMap().put(2, 2);
    new TLongLongHashMap().put(2, 2);
    new Long2LongOpenHashMap().put(2, 2);
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
    try {
      vm.loadAgent(args[0], args[1]);
    } finally {
      vm.detach();
    }
    // Keys from 10 on: Eclipse Collections keeps 0 and 1 beside its table.
    LongLongHashMap eclipse = eclipse();
    TLongLongHashMap trove = trove();
    Long2LongOpenHashMap fastutil = fastutil();
    for (long k = 10; k < 10 + KEYS; k++) {
      eclipse.put(k, k);
      trove.put(k, k);
      fastutil.put(k, k);
    }
    for (long k = 10; k < 10 + HITS; k++) {
      eclipse.remove(k);
      trove.remove(k);
      fastutil.remove(k);
    }
    for (long k = 10 + KEYS; k < 10 + KEYS + MISSES; k++) {
      eclipse.remove(k);
      trove.remove(k);
      fastutil.remove(k);
    }
    Path sites = Path.of(args[2], "sites.jsonl");
    long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
    while (System.currentTimeMillis() < giveUp && !allSitesIn(sites)) {
      Thread.sleep(50);
    }
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    String truth = " " + idleUntil + " deleteHits=" + HITS + ",deleteMisses=" + MISSES;
    for (String map : new String[] {"eclipse", "trove", "fastutil"}) {
      System.out.println("PHASE attached " + map + truth);
    }
    System.out.println(eclipse.size() + trove.size() + fastutil.size());
  }

  private static boolean allSitesIn(Path sites) throws java.io.IOException {
    if (!Files.exists(sites)) {
      return false;
    }
    String text = Files.readString(sites);
    return text.contains("\"eclipse\"")
        && text.contains("\"trove\"")
        && text.contains("\"fastutil\"");
  }

  private static LongLongHashMap eclipse() {
    return new LongLongHashMap();
  }

  private static TLongLongHashMap trove() {
    return new TLongLongHashMap();
  }

  private static Long2LongOpenHashMap fastutil() {
    return new Long2LongOpenHashMap();
  }
}
